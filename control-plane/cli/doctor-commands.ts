import type { Command } from 'commander';
import { EXIT_FAILURE, examples, printable, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import type { ControlPlane } from '../control-plane';
import type { Finding } from '../doctor/finding';
import { runDoctor } from '../doctor/run-doctor';
import { createFileCheckProgress } from './file-check-progress';

function describe(f: Finding): string {
  const what = `${f.check.padEnd(12)} ${printable(f.subject)}: ${printable(f.problem)}`;
  if (f.error) return `FAILED   ${what}\n         could not ${printable(f.fix)}: ${printable(f.error)}`;
  if (f.fixed) return `fixed    ${what}\n         -> ${printable(f.fix)}${f.needsHuman ? ' (look at it: it needs a human)' : ''}`;
  if (f.fix) return `fixable  ${what}\n         -> --fix would ${printable(f.fix)}${f.needsHuman ? ', then it needs a human' : ''}`;
  if (f.needsHuman) return `HUMAN    ${what}`;
  return `note     ${what}`;
}

/** `tenantry doctor [--fix] [--deep]`: reconciles rows and folders, checks tenant files. */
export function registerDoctorCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  program
    .command('doctor')
    .description('Check that the control plane and the tenant folders agree, and that every tenant file is sound; repair with --fix')
    .option('--fix', 'repair what can be repaired without a human (interrupted provisioning and operations, leftovers, orphans moved to data/orphans/)')
    .option('--deep', "run SQLite's integrity_check on every tenant file (slower; shows progress)")
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing left to do, 1 something still needs --fix or a human, 2 usage error.\n' +
        "Safe while the server runs: work in progress holds its tenant's lock and is left alone.\n" +
        examples(['tenantry doctor', 'tenantry doctor --fix', 'tenantry doctor --deep --json']),
    )
    .action(async (opts: { fix?: boolean; deep?: boolean; json?: boolean }) => {
      await withPlatform(async (platform) => {
        const started = performance.now();
        const progress = createFileCheckProgress(ctx, opts.deep ? 'integrity_check' : 'quick_check');
        let report;
        try {
          report = await runDoctor({ platform, fix: Boolean(opts.fix), deep: Boolean(opts.deep), onFileChecked: progress.onFileChecked });
        } finally {
          progress.stop();
        }
        const seconds = (performance.now() - started) / 1000;
        const fixed = report.findings.filter((f) => f.fixed).length;
        const human = report.findings.filter((f) => f.needsHuman).length;
        if (opts.json) {
          ctx.json({
            fix: Boolean(opts.fix),
            deep: Boolean(opts.deep),
            seconds: Number(seconds.toFixed(3)),
            findings: report.findings,
            unresolved: report.unresolved.length,
          });
        } else {
          for (const finding of report.findings) ctx.out(describe(finding));
          ctx.out(
            report.findings.length
              ? `${report.findings.length} found, ${fixed} fixed, ${human} need a human, ${report.unresolved.length} unresolved (${seconds.toFixed(2)}s).`
              : `Everything is in order (${seconds.toFixed(2)}s).`,
          );
          if (!opts.fix && report.unresolved.some((f) => f.fix && !f.needsHuman)) ctx.out('Run "tenantry doctor --fix" to repair what can be repaired.');
        }
        if (report.unresolved.length) ctx.exitCode = EXIT_FAILURE;
      });
    });
}
