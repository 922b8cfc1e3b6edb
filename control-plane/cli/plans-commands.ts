import type { Command } from 'commander';
import type { ControlPlane } from '../control-plane';
import { ValidationError } from '../../core/errors/app-errors';
import { CliError, echoed, examples, formatTable, printable, repeatableOption, textOption, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { namingOptions } from '../../core/cli/option-names';
import { CLI_OPERATOR } from '../audit/operator';
import { FEATURE_KEYS, LIMIT_KEYS, isFeatureKey, isLimitKey } from '../../tenant-runtime/plan-catalogue';
import type { PlanRecord } from '../plans/plan-repository';
import { clearTenantOverrides, createPlan, setDefaultPlan, setTenantOverrides, setTenantPlan, updatePlan } from '../plans/manage-plans';
import { tenantEntitlements } from '../plans/tenant-entitlements';
import { findTenant } from './lifecycle-commands';
import { tenantsGroup } from './tenants-commands';

/** `--limit members=10 --feature api=off` as the pages' form fields (limit_members, feature_api). */
function fieldsOf(opts: { limit?: string[]; feature?: string[] }): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [option, list, known, prefix] of [
    ['--limit', opts.limit ?? [], isLimitKey, 'limit_'],
    ['--feature', opts.feature ?? [], isFeatureKey, 'feature_'],
  ] as const) {
    for (const pair of list) {
      const at = pair.indexOf('=');
      const key = at < 0 ? pair : pair.slice(0, at);
      if (at < 0 || !known(key)) {
        const keys = option === '--limit' ? LIMIT_KEYS : FEATURE_KEYS;
        throw ValidationError.single(option, `must be key=value with a key among ${keys.join(', ')} (got "${echoed(pair)}")`);
      }
      const value = pair.slice(at + 1);
      // A form's blank field means "unlimited" or "the plan's value"; typed, `members=` is a slip.
      if (value.trim() === '') throw new CliError(`${option} ${key} must not be empty (${option === '--limit' ? 'a number, or unlimited' : 'on or off'})`);
      fields[`${prefix}${key}`] = value;
    }
  }
  return fields;
}

function planJson(plan: PlanRecord) {
  return { key: plan.key, name: plan.name, default: plan.isDefault, limits: plan.limits, features: plan.features };
}

function describePlan(ctx: CliContext, plan: PlanRecord): void {
  ctx.out(`${printable(plan.name)} (${plan.key})${plan.isDefault ? ', the default plan' : ''}`);
  for (const key of LIMIT_KEYS) ctx.out(`  ${key.padEnd(32)} ${plan.limits[key] ?? 'unlimited'}`);
  for (const key of FEATURE_KEYS) ctx.out(`  ${`feature ${key}`.padEnd(32)} ${plan.features[key] ? 'on' : 'off'}`);
}

/** The pages' field names as the options that carry them: limit_members is `--limit members`, feature_api `--feature api`. */
function entitlementOption(field: string): string | undefined {
  const match = /^(limit|feature)_(.+)$/.exec(field);
  return match ? `--${match[1]} ${match[2]}` : undefined;
}

/** The overrides `tenants clear-limits` may name: every limit and feature key. */
function checkOverrideKeys(keys: string[]): void {
  const unknown = keys.filter((key) => !isLimitKey(key) && !isFeatureKey(key));
  if (unknown.length) {
    throw new CliError(
      `argument 'keys': unknown limit keys: ${unknown.map((key) => echoed(key)).join(', ')} (known: ${[...LIMIT_KEYS, ...FEATURE_KEYS].join(', ')})`,
    );
  }
}

const LIMIT_HELP = `a limit, key=value (value: a whole number, bytes with an optional unit such as 500MB, or unlimited); keys: ${LIMIT_KEYS.join(', ')}`;
const FEATURE_HELP = `a feature, key=on|off; keys: ${FEATURE_KEYS.join(', ')}`;

/**
 * `tenantry plans list|show|create|update|set-default` and `tenantry tenants set-plan|set-limits|
 * clear-limits`: the console's plan pages at the shell, with the same validation and audit records.
 * A server running beside it notices the change within a second (the control plane's data_version).
 */
export function registerPlansCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  const plans = program
    .command('plans')
    .description('List, create and change plans (limits and feature flags); choose the default for new tenants')
    .addHelpText('after', examples(['tenantry plans list', 'tenantry plans create starter --name Starter --limit members=5 --feature api=off']));

  plans
    .command('list')
    .description('List the plans with the number of tenants on each')
    .option('--json', 'print a JSON array')
    .addHelpText('after', examples(['tenantry plans list', 'tenantry plans list --json']))
    .action(async (opts: { json?: boolean }) => {
      await withPlatform(async (platform) => {
        const counts = platform.plans.tenantCounts();
        const rows = platform.plans.list().map((plan) => ({ ...planJson(plan), tenants: counts.get(plan.id) ?? 0 }));
        if (opts.json) return ctx.json(rows);
        ctx.out(
          formatTable(
            [
              { header: 'KEY', value: (r) => r.key },
              { header: 'NAME', value: (r) => r.name, max: 40 },
              { header: 'DEFAULT', value: (r) => (r.default ? 'yes' : '') },
              { header: 'TENANTS', value: (r) => r.tenants, align: 'right' },
              { header: 'FEATURES OFF', value: (r) => FEATURE_KEYS.filter((key) => !r.features[key]).join(',') },
            ],
            rows,
          ),
        );
      });
    });

  plans
    .command('show')
    .description("Show a plan's limits and features")
    .argument('<plan>', 'the plan key')
    .option('--json', 'print JSON')
    .addHelpText('after', examples(['tenantry plans show starter', 'tenantry plans show default --json']))
    .action(async (key: string, opts: { json?: boolean }) => {
      await withPlatform(async (platform) => {
        const plan = platform.plans.require(key);
        if (opts.json) return ctx.json(planJson(plan));
        describePlan(ctx, plan);
      });
    });

  plans
    .command('create')
    .description('Create a plan (limits not given are unlimited, features not given are on)')
    .argument('<plan>', 'its key: lower-case letters, digits and dashes')
    .addOption(textOption('--name <name>', 'its name, as the console shows it').makeOptionMandatory())
    .addOption(repeatableOption('--limit <key=value>', LIMIT_HELP))
    .addOption(repeatableOption('--feature <key=on|off>', FEATURE_HELP))
    .option('--json', 'print the plan as JSON')
    .addHelpText('after', examples(['tenantry plans create starter --name Starter --limit members=5 --limit storage_bytes=500MB --feature api=off']))
    .action(async (key: string, opts: { name: string; limit?: string[]; feature?: string[]; json?: boolean }) => {
      await withPlatform(async (platform) => {
        const plan = namingOptions(entitlementOption, () => createPlan(platform, CLI_OPERATOR, { key, name: opts.name, ...fieldsOf(opts) }, 'partial'));
        if (opts.json) return ctx.json(planJson(plan));
        describePlan(ctx, plan);
      });
    });

  plans
    .command('update')
    .description("Change a plan's name, limits or features (those not given stay as they are)")
    .argument('<plan>', 'the plan key')
    .addOption(textOption('--name <name>', 'a new name'))
    .addOption(repeatableOption('--limit <key=value>', LIMIT_HELP))
    .addOption(repeatableOption('--feature <key=on|off>', FEATURE_HELP))
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      examples(['tenantry plans update starter --limit members=10 --feature csv=on', 'tenantry plans update starter --limit items=unlimited']),
    )
    .action(async (key: string, opts: { name?: string; limit?: string[]; feature?: string[]; json?: boolean }) => {
      await withPlatform(async (platform) => {
        const fields = { ...(opts.name !== undefined ? { name: opts.name } : {}), ...fieldsOf(opts) };
        const plan = namingOptions(entitlementOption, () => updatePlan(platform, CLI_OPERATOR, key, fields, 'partial'));
        if (opts.json) return ctx.json(planJson(plan));
        describePlan(ctx, plan);
      });
    });

  plans
    .command('set-default')
    .description('Make a plan the one new tenants start on')
    .argument('<plan>', 'the plan key')
    .addHelpText('after', examples(['tenantry plans set-default starter']))
    .action(async (key: string) => {
      await withPlatform(async (platform) => {
        const plan = setDefaultPlan(platform, CLI_OPERATOR, key);
        ctx.out(`New tenants now start on ${printable(plan.name)} (${plan.key}).`);
      });
    });

  const tenants = tenantsGroup(program);
  tenants
    .command('set-plan')
    .description("Put a tenant on a plan (its overrides stay); it applies from the tenant's next request")
    .argument('<slug>', 'the tenant')
    .argument('<plan>', 'the plan key')
    .addHelpText('after', examples(['tenantry tenants set-plan acme starter']))
    .action(async (slug: string, key: string) => {
      await withPlatform(async (platform) => {
        const plan = setTenantPlan(platform, CLI_OPERATOR, findTenant(platform, slug), key);
        ctx.out(`${slug} is now on ${printable(plan.name)} (${plan.key}).`);
      });
    });

  tenants
    .command('set-limits')
    .description("Override limits or features of a tenant's plan for this tenant only (the others stay)")
    .argument('<slug>', 'the tenant')
    .addOption(repeatableOption('--limit <key=value>', LIMIT_HELP))
    .addOption(repeatableOption('--feature <key=on|off>', FEATURE_HELP))
    .option('--json', 'print the entitlements in effect as JSON')
    .addHelpText('after', examples(['tenantry tenants set-limits acme --limit storage_bytes=2GB --feature api=on']))
    .action(async (slug: string, opts: { limit?: string[]; feature?: string[]; json?: boolean }) => {
      await withPlatform(async (platform) => {
        const tenant = findTenant(platform, slug);
        namingOptions(entitlementOption, () => setTenantOverrides(platform, CLI_OPERATOR, tenant, fieldsOf(opts), 'merge'));
        printEntitlements(ctx, platform, tenant.id, opts.json);
      });
    });

  tenants
    .command('clear-limits')
    .description("Remove a tenant's overrides (those named, or all): the plan's values apply again")
    .argument('<slug>', 'the tenant')
    .argument('[keys...]', 'limit or feature keys to clear (none: all)')
    .option('--json', 'print the entitlements in effect as JSON')
    .addHelpText('after', examples(['tenantry tenants clear-limits acme storage_bytes api', 'tenantry tenants clear-limits acme']))
    .action(async (slug: string, keys: string[], opts: { json?: boolean }) => {
      checkOverrideKeys(keys);
      await withPlatform(async (platform) => {
        const tenant = findTenant(platform, slug);
        clearTenantOverrides(platform, CLI_OPERATOR, tenant, keys);
        printEntitlements(ctx, platform, tenant.id, opts.json);
      });
    });
}

function printEntitlements(ctx: CliContext, platform: ControlPlane, tenantId: string, json?: boolean): void {
  const entitlements = tenantEntitlements(platform, tenantId);
  if (json) return ctx.json(entitlements);
  const { overrides } = entitlements;
  ctx.out(`On ${printable(entitlements.plan.name)} (${entitlements.plan.key}); * marks an override.`);
  for (const key of LIMIT_KEYS) ctx.out(`  ${key.padEnd(32)} ${entitlements.limits[key] ?? 'unlimited'}${key in overrides.limits ? ' *' : ''}`);
  for (const key of FEATURE_KEYS)
    ctx.out(`  ${`feature ${key}`.padEnd(32)} ${entitlements.features[key] ? 'on' : 'off'}${key in overrides.features ? ' *' : ''}`);
}
