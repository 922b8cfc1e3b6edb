import type { WorkspaceServices } from '../workspace-services';
import type { Command } from 'commander';
import { rotateSecretsKey, type RotationResult } from '../secrets/rotate-secrets-key';
import { parseSecretsKey } from '../../core/crypto/secret-box';
import { CliError, EXIT_FAILURE, examples, printable, type CliContext, type WithPlatform } from '../../core/cli/cli-io';

export function registerSecretsCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<WorkspaceServices>): void {
  const secrets = program
    .command('secrets')
    .description('Manage the key that encrypts tenant secrets at rest')
    .addHelpText('after', examples(['NEW_SECRETS_KEY=$(openssl rand -hex 32) tenantry secrets rotate-key']));

  secrets
    .command('rotate-key')
    .description("Re-encrypt every tenant's secrets and its webhooks' signing secrets under the key in NEW_SECRETS_KEY (one transaction per tenant)")
    .option('--json', 'print the per-tenant report as JSON')
    .addHelpText(
      'after',
      '\nThe current key is SECRETS_KEY (or the one generated into DATA_DIR/secrets.json); the new key is read from\n' +
        'NEW_SECRETS_KEY (64 hex characters), never from an argument. Stop the server first. When every tenant is\n' +
        'rotated, set SECRETS_KEY to the new key and start the server again. A tenant that fails keeps its old\n' +
        'values; run the command again with the same two keys to resume.\n' +
        examples(['NEW_SECRETS_KEY=$(openssl rand -hex 32) tenantry secrets rotate-key']),
    )
    .action(async (opts: { json?: boolean }) => {
      const newKey = parseSecretsKey(ctx.io.env.NEW_SECRETS_KEY ?? '');
      if (!newKey) throw new CliError('NEW_SECRETS_KEY must be set to 64 hex characters (32 bytes), e.g. from: openssl rand -hex 32');
      await withPlatform(async (platform) => {
        const result = await rotateSecretsKey(platform, newKey);
        if (opts.json) ctx.json(rotationJson(result));
        else printRotationReport(ctx, result);
        if (result.failed.length) ctx.exitCode = EXIT_FAILURE;
      });
    });
}

function rotationJson(result: RotationResult) {
  return {
    from_key_id: result.fromKeyId,
    to_key_id: result.toKeyId,
    rotated_tenants: result.outcomes.length - result.failed.length,
    rotated_platform_values: result.platformValues?.rotated ?? 0,
    failed: result.failed.length,
    tenants: result.outcomes.map((o) => ({
      slug: o.slug,
      id: o.tenantId,
      outcome: o.outcome,
      rotated: o.rotated,
      already_current: o.alreadyCurrent,
      error: o.error ?? null,
    })),
  };
}

function printRotationReport(ctx: CliContext, result: RotationResult): void {
  const width = Math.max(0, ...result.outcomes.map((o) => o.slug.length));
  for (const o of result.outcomes) {
    const detail =
      o.outcome === 'failed'
        ? `kept its old key: ${printable((o.error ?? '').split('\n')[0])}`
        : `${o.rotated} re-encrypted${o.alreadyCurrent ? `, ${o.alreadyCurrent} already under the new key` : ''}`;
    ctx.out(`${o.outcome.padEnd(7)}  ${o.slug.padEnd(width)}  ${detail}`);
  }
  if (result.platformValues?.rotated) ctx.out(`${result.platformValues.rotated} two-step sign-in key(s) of the control plane re-encrypted.`);
  ctx.out(`${result.outcomes.length - result.failed.length} tenant(s) rotated, ${result.failed.length} failed (key ${result.fromKeyId} -> ${result.toKeyId}).`);
  if (result.failed.length) {
    ctx.err(
      `error: ${result.failed.length} tenant(s) failed: ${result.failed.map((o) => o.slug).join(', ')}. Fix them and run the command again with the same keys; do not change SECRETS_KEY yet.`,
    );
    return;
  }
  ctx.out('Next: set SECRETS_KEY to the value of NEW_SECRETS_KEY and restart the server. The old key no longer opens these secrets.');
}
