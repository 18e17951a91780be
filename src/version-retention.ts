import { describeValue, PropValidator } from './validation';

/**
 * Which published versions of a workflow's function are kept.
 *
 * Versions are retained by CloudFormation either way (removal policy `RETAIN`): a running execution
 * replays against the version it started on. With `keepLatest(n)`, the stack's version pruner deletes a
 * version only when no alias routes to it, it is not among the newest `n`, and no RUNNING execution is
 * pinned to it.
 */
export class VersionRetention {
  /**
   * Keep the newest `count` versions, every version an alias routes to, and every version a RUNNING
   * execution is pinned to; the stack's version pruner deletes the others, daily and after each
   * deployment that moves the alias.
   *
   * @param count how many of the newest versions are always kept (a whole number of at least 1)
   */
  public static keepLatest(count: number): VersionRetention {
    return new VersionRetention(count);
  }

  /**
   * Keep every version: no version pruner, no schedule, nothing deleted.
   */
  public static all(): VersionRetention {
    return new VersionRetention(undefined);
  }

  /**
   * How many of the newest versions are always kept; undefined when every version is kept (`all()`).
   */
  public readonly keepLatestCount?: number;

  private constructor(keepLatestCount: number | undefined) {
    this.keepLatestCount = keepLatestCount;
  }
}

/** The default: three versions cover the one the alias left, the one before it, and the new one. */
const DEFAULT_RETENTION = VersionRetention.keepLatest(3);

/**
 * Checks `versionRetention` and returns how many newest versions to keep, or `undefined` to keep them
 * all (no pruner). The count is checked here rather than in the factory: only here is there a construct to name.
 */
export function resolveVersionRetention(v: PropValidator, value: VersionRetention | undefined): number | undefined {
  const retention = value === undefined ? DEFAULT_RETENTION : value;
  if (typeof retention !== 'object' || retention === null || !('keepLatestCount' in retention)) {
    v.fail(`versionRetention must be a VersionRetention (VersionRetention.keepLatest(n) or VersionRetention.all()), got ${describeValue(value)}`);
  }
  return v.count('versionRetention.keepLatest(n)', retention.keepLatestCount, 1);
}
