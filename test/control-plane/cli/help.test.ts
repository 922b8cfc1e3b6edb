import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import type { Command, Option } from 'commander';
import { buildProgram } from '../../../app/build-program';
import { CliContext } from '../../../core/cli/cli-io';
import { captureStream, cliFor } from '../../support/cli-runner';

const BIN = path.resolve(__dirname, '../../../bin/tenantry.js');

describe('tenantry --help', () => {
  // Help never reads the configuration, so no data folder is touched.
  const tenantry = cliFor('/nonexistent/tenantry-help');

  it.each([
    [[], 'Usage: tenantry [options] [command]'],
    [['tenants'], 'Usage: tenantry tenants [options] [command]'],
    [['tenants', 'create'], 'Usage: tenantry tenants create [options]'],
    [['tenants', 'list'], 'Usage: tenantry tenants list [options]'],
    [['tenants', 'suspend'], 'Usage: tenantry tenants suspend [options] <slug>'],
    [['tenants', 'resume'], 'Usage: tenantry tenants resume [options] <slug>'],
    [['tenants', 'migrate'], 'Usage: tenantry tenants migrate [options]'],
    [['tenants', 'backup'], 'Usage: tenantry tenants backup [options] [slugs...]'],
    [['tenants', 'backups'], 'Usage: tenantry tenants backups [options] <slug>'],
    [['tenants', 'restore'], 'Usage: tenantry tenants restore [options] <slug>'],
    [['tenants', 'clone'], 'Usage: tenantry tenants clone [options] <slug>'],
    [['tenants', 'export'], 'Usage: tenantry tenants export [options] <slug>'],
    [['tenants', 'import'], 'Usage: tenantry tenants import [options] <file>'],
    [['tenants', 'fleet-status'], 'Usage: tenantry tenants fleet-status [options]'],
    [['platform'], 'Usage: tenantry platform [options] [command]'],
    [['platform', 'migrate'], 'Usage: tenantry platform migrate [options]'],
    [['admin'], 'Usage: tenantry admin [options] [command]'],
    [['admin', 'create'], 'Usage: tenantry admin create [options]'],
    [['plans'], 'Usage: tenantry plans [options] [command]'],
    [['plans', 'list'], 'Usage: tenantry plans list [options]'],
    [['plans', 'show'], 'Usage: tenantry plans show [options] <plan>'],
    [['plans', 'set-default'], 'Usage: tenantry plans set-default [options] <plan>'],
    [['secrets'], 'Usage: tenantry secrets [options] [command]'],
    [['usage'], 'Usage: tenantry usage [options] [command]'],
  ])('prints usage and examples for %j and exits 0', async (command, usage) => {
    const run = await tenantry([...command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(usage);
    expect(run.stdout).toMatch(/\nExamples:\n {2}\$ .*tenantry /);
    expect(run.stderr).toBe('');
  });

  it.each([
    ['help bogus', ['help', 'bogus'], "error: unknown command 'bogus'"],
    ['help tenants bogus', ['help', 'tenants', 'bogus'], "error: unknown command 'bogus'"],
    ['tenants help bogus', ['tenants', 'help', 'bogus'], "error: unknown command 'bogus'"],
    ['help <10 KB name>', ['help', 'x'.repeat(10240)], `error: unknown command '${'x'.repeat(79)}…'`],
  ])('names the unknown command of `%s` (exit 2) instead of printing the whole help', async (_label, args, message) => {
    const run = await tenantry(args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['help'], 'Usage: tenantry [options] [command]'],
    [['help', 'tenants'], 'Usage: tenantry tenants [options] [command]'],
    [['help', 'tenants', 'create'], 'Usage: tenantry tenants create [options]'],
    [['tenants', 'help', 'suspend'], 'Usage: tenantry tenants suspend [options] <slug>'],
  ])('prints the help of %j and exits 0', async (args, usage) => {
    const run = await tenantry(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(usage);
    expect(run.stderr).toBe('');
  });

  it("says in each command's help which of its options it cannot run without", async () => {
    const program = buildProgram(new CliContext({ env: {}, stdout: captureStream(), stderr: captureStream() }));
    const leaves = (command: Command, path: string[]): Array<[string[], Command]> =>
      command.commands.length ? command.commands.flatMap((c) => leaves(c, [...path, c.name()])) : [[path, command]];
    const required = leaves(program, []).flatMap(([path, command]) => command.options.filter((o) => o.mandatory).map((o) => [path, o.flags] as const));
    expect(required.map(([path, flags]) => `${path.join(' ')} ${flags}`)).toEqual(
      expect.arrayContaining([
        'tenants create --name <name>',
        'tenants create --slug <slug>',
        'tenants suspend --reason <text>',
        'admin create --email <email>',
      ]),
    );
    for (const [path, flags] of required) {
      const help = (await tenantry([...path, '--help'])).stdout;
      // The option's entry: its line and the lines its description wraps onto, up to the next option.
      const entry = help.slice(help.indexOf(`\n  ${flags} `)).split(/\n {2}-/)[1];
      expect([path.join(' '), entry.replace(/\s+/g, ' ')]).toEqual([path.join(' '), expect.stringMatching(/\(required\)$/)]);
    }
    const optional = (await tenantry(['tenants', 'create', '--help'])).stdout;
    expect(optional).toMatch(/--owner-email <email> +first owner: an existing user joins at once, a new address gets an\n +invitation link\n/);
  });

  it("says in each command's help which of its options may be given more than once", async () => {
    const program = buildProgram(new CliContext({ env: {}, stdout: captureStream(), stderr: captureStream() }));
    const leaves = (command: Command, path: string[]): Array<[string[], Command]> =>
      command.commands.length ? command.commands.flatMap((c) => leaves(c, [...path, c.name()])) : [[path, command]];
    // An option that keeps every value given (a collector), whatever made it.
    const keepsEvery = (option: Option) => {
      const parse = option.parseArg as ((value: string, previous: unknown) => unknown) | undefined;
      if (!parse) return false;
      try {
        const both = parse('b=2', parse('a=1', option.defaultValue));
        return Array.isArray(both) && both.length === 2;
      } catch {
        return false;
      }
    };
    const repeatable = leaves(program, []).flatMap(([path, command]) => command.options.filter(keepsEvery).map((o) => [path, o.flags] as const));
    expect(repeatable.map(([path, flags]) => `${path.join(' ')} ${flags}`)).toEqual(
      expect.arrayContaining([
        'plans create --limit <key=value>',
        'plans create --feature <key=on|off>',
        'plans update --limit <key=value>',
        'tenants set-limits --limit <key=value>',
        'tenants set-limits --feature <key=on|off>',
      ]),
    );
    for (const [path, flags] of repeatable) {
      const help = (await tenantry([...path, '--help'])).stdout;
      const entry = help.slice(help.indexOf(`\n  ${flags} `)).split(/\n {2}-/)[1];
      expect([path.join(' '), entry.replace(/\s+/g, ' ')]).toEqual([path.join(' '), expect.stringMatching(/\(repeatable\)$/)]);
    }
    const once = (await tenantry(['plans', 'update', '--help'])).stdout;
    expect(once).toMatch(/--name <name> +a new name\n/);
  });

  it('keeps the hidden --password option out of the help', async () => {
    expect((await tenantry(['admin', 'create', '--help'])).stdout).not.toContain('--password');
  });

  it("never echoes a terminal control sequence typed in a command, an option or a choice: it prints as '?'", async () => {
    for (const args of [['\u001b[2Jevil'], ['tenants', 'list', '--\u001b[2J'], ['tenants', 'list', '--status', '\u001b]0;x\u0007']]) {
      const run = await tenantry(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/error: .*\?\[2J|\?\]0;x\?/);
      expect(run.stderr).not.toContain('\u001b');
      expect(run.stderr).not.toContain('\u0007');
    }
  });

  it.each([
    [['tenants', 'create', '--nmae', 'Acme', '--slug', 'acme'], "error: unknown option '--nmae'"],
    [['tenants', 'add-owner', 'acme', '--emial', 'boss@acme.test'], "error: unknown option '--emial'"],
    [['tenants', 'export', 'acme', '--output', 'acme.tar.gz'], "error: unknown option '--output'"],
    [['tenants', 'create', '--name', 'Acme', '--slug', 'acme', '--ownr-email', 'o@acme.test'], "error: unknown option '--ownr-email'"],
  ])('names the mistyped option of %j (exit 2), not a required option it seems to leave out', async (args, message) => {
    const run = await tenantry(args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
    expect(run.stderr).not.toContain('required option');
    expect(run.stdout).toBe('');
  });

  it('still names a required option left out when nothing unknown was typed (exit 2)', async () => {
    const run = await tenantry(['tenants', 'create', '--slug', 'acme']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe("error: required option '--name <name>' not specified");
  });

  it('cuts a 10 KB unknown command short in its error line', async () => {
    const run = await tenantry(['x'.repeat(10_240)]);
    expect(run.code).toBe(2);
    const line = run.stderr.split('\n').find((l) => l.startsWith('error: unknown command')) ?? '';
    expect(line.length).toBeLessThanOrEqual(300);
    expect(line.endsWith('…')).toBe(true);
  });

  it('treats an unknown command or a group without a command as a usage error (exit 2)', async () => {
    const unknown = await tenantry(['tenant', 'list']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'tenant'");
    const bare = await tenantry(['tenants']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: tenantry tenants');
  });
});

describe('the tenantry binary', () => {
  const run = promisify(execFile);

  it('runs as a real process: --help exits 0 with the usage', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help'], { timeout: 15000 });
    expect(stdout).toContain('Usage: tenantry [options] [command]');
  });

  it('opens the platform, lists tenants as JSON and exits on its own', async () => {
    const t = await createTestPlatform();
    try {
      await makeTenant(t.platform, 'acme');
      const { stdout } = await run(process.execPath, [BIN, 'tenants', 'list', '--json'], {
        timeout: 15000,
        env: { ...process.env, DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' },
      });
      expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ slug: 'acme', status: 'active' })]);
    } finally {
      await t.cleanup();
    }
  });
});
