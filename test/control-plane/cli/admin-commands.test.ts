import { PassThrough } from 'node:stream';
import { verifyPassword } from '../../../control-plane/auth/password-hasher';
import { promptHidden } from '../../../core/cli/hidden-prompt';
import { captureStream, cliTestPlatform } from '../../support/cli-runner';

const PASSWORD = 'a long enough passphrase';

describe('tenantry admin create', () => {
  const { t, tenantry } = cliTestPlatform();

  it('creates a super admin with the password from TENANTRY_ADMIN_PASSWORD', async () => {
    const run = await tenantry(['admin', 'create', '--email', 'Ops@Example.com', '--name', 'Ops team'], { env: { TENANTRY_ADMIN_PASSWORD: PASSWORD } });
    expect(run.code).toBe(0);
    const user = t.platform.users.findByEmail('ops@example.com')!;
    expect(user).toMatchObject({ name: 'Ops team', is_super_admin: 1 });
    expect(run.stdout).toBe(`Created super admin ops@example.com (Ops team), id ${user.id}.\n`);
    expect(await verifyPassword(user.password_hash, PASSWORD)).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('refuses with exit code 2 when there is no password variable and no terminal, and creates nothing', async () => {
    const run = await tenantry(['admin', 'create', '--email', 'ops@example.com']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: No password: set TENANTRY_ADMIN_PASSWORD, or run the command in a terminal to type it at a hidden prompt.\n');
    expect(t.platform.users.findByEmail('ops@example.com')).toBeUndefined();
  });

  it('asks twice at a hidden prompt when stdin is a terminal', async () => {
    const questions: string[] = [];
    const prompt = async (question: string) => {
      questions.push(question);
      return PASSWORD;
    };
    const run = await tenantry(['admin', 'create', '--email', 'ops@example.com', '--json'], { isTTY: { stdin: true }, prompt });
    expect(run.code).toBe(0);
    expect(questions).toEqual(['Password: ', 'Repeat password: ']);
    expect(JSON.parse(run.stdout)).toMatchObject({ email: 'ops@example.com', name: 'ops', super_admin: true });
  });

  it('creates nothing when the two typed passwords differ', async () => {
    let n = 0;
    const run = await tenantry(['admin', 'create', '--email', 'ops@example.com'], { isTTY: { stdin: true }, prompt: async () => `${PASSWORD}${n++}` });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('The two passwords differ');
    expect(t.platform.users.findByEmail('ops@example.com')).toBeUndefined();
  });

  it('never takes the password as an argument', async () => {
    const run = await tenantry(['admin', 'create', '--email', 'ops@example.com', '--password', PASSWORD], { env: { TENANTRY_ADMIN_PASSWORD: PASSWORD } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Passwords are not accepted as arguments');
    expect(t.platform.users.findByEmail('ops@example.com')).toBeUndefined();
  });

  it.each([
    ['a bad email', ['--email', 'not-an-email'], PASSWORD, 'error: --email must be a valid email address\n'],
    ['a short password', ['--email', 'ops@example.com'], 'short', 'error: password must be at least 12 characters\n'],
  ])('refuses %s with exit code 2', async (_label, args, password, message) => {
    const run = await tenantry(['admin', 'create', ...args], { env: { TENANTRY_ADMIN_PASSWORD: password } });
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: message });
    expect(t.platform.users.count()).toBe(0);
  });

  it.each([
    ['an email with nothing before @', '@example.com', 'error: --email must be a valid email address\n'],
    ['a 10 KB email', `${'x'.repeat(10240)}@example.com`, 'error: --email must be a valid email address\n'],
    ['an empty email', '', 'error: --email must not be empty\n'],
  ])('reports only the email for %s when the name is made from it (exit 2)', async (_label, email, message) => {
    const run = await tenantry(['admin', 'create', '--email', email], { env: { TENANTRY_ADMIN_PASSWORD: PASSWORD } });
    expect(run).toEqual({ code: 2, stdout: '', stderr: message });
    expect(t.platform.users.count()).toBe(0);
  });

  it('still reports a bad name given with --name beside a bad email', async () => {
    const run = await tenantry(['admin', 'create', '--email', 'nope', '--name', 'x'.repeat(201)], { env: { TENANTRY_ADMIN_PASSWORD: PASSWORD } });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: --email must be a valid email address\nerror: --name must be at most 200 characters\n');
  });

  it('refuses an email that is already registered', async () => {
    const env = { TENANTRY_ADMIN_PASSWORD: PASSWORD };
    await tenantry(['admin', 'create', '--email', 'ops@example.com'], { env });
    const again = await tenantry(['admin', 'create', '--email', 'OPS@example.com'], { env });
    expect(again).toMatchObject({ code: 2, stderr: 'error: --email is already registered\n' });
  });
});

describe('the hidden password prompt', () => {
  it('shows the question, reads the answer and never echoes it', async () => {
    const input = new PassThrough();
    const output = captureStream();
    const answer = promptHidden('Password: ', input, output);
    input.write('s3cret words!\r');
    await expect(answer).resolves.toBe('s3cret words!');
    expect(output.text()).toBe('Password: \n');
  });

  it('is cancelled by Ctrl-C', async () => {
    const input = new PassThrough();
    const answer = promptHidden('Password: ', input, captureStream());
    input.write('\u0003');
    await expect(answer).rejects.toMatchObject({ message: 'Cancelled.', exitCode: 130 });
  });
});
