import type { ControlPlane } from '../control-plane';

/** One thing the doctor found, and what became of it. */
export interface Finding {
  /** Which check found it (provisioning, folders, files, ...). */
  check: string;
  /** The tenant's slug, or a path under DATA_DIR. */
  subject: string;
  problem: string;
  /** What --fix does (or did) about it; absent when only a human can decide. */
  fix?: string;
  fixed?: boolean;
  /** Left for a human (after any fix): the doctor exits non-zero. */
  needsHuman: boolean;
  /** A fix that was tried and failed. */
  error?: string;
}

export interface DoctorContext {
  platform: ControlPlane;
  fix: boolean;
  deep: boolean;
  /** Told as each tenant file is checked (--deep: a progress bar). */
  onFileChecked?: (done: number, total: number) => void;
  /**
   * The stored-files check's findings for each tenant, made by the files check while it had the
   * tenant's file open (runDoctor sets it): a tenant found here is not opened a second time.
   */
  storedFiles?: Map<string, Finding[]>;
  /** The item-counts check's findings for each tenant, made by the files check the same way. */
  itemCounts?: Map<string, Finding[]>;
}

/** A check returns what it found (and, with ctx.fix, repaired). */
export type DoctorCheck = (ctx: DoctorContext) => Promise<Finding[]>;

/** Runs a repair, recording on the finding whether it worked. */
export function tryFix(finding: Finding, repair: () => void): Finding {
  try {
    repair();
    return { ...finding, fixed: true };
  } catch (error) {
    return { ...finding, fixed: false, needsHuman: true, error: error instanceof Error ? error.message : String(error) };
  }
}
