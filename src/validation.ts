import { Duration, Size, Token } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';

/**
 * Input checks for every construct and method of this library. Every failure is an `Error` whose
 * message names the class, the construct path, the prop, what is allowed and the value it got:
 * `DurableWorkflow 'Stack/Id': <prop> must ..., got ...`. Unresolved tokens are accepted unchecked:
 * their value is only known at deploy time.
 */
export class PropValidator {
  /** Checks the props of `scope`, an instance of `className`. */
  public static of(scope: IConstruct, className: string): PropValidator {
    return new PropValidator(className, scope.node.path);
  }

  /** Checks the input of a construct about to be created as `id` in `scope` (imports check before they build). */
  public static forChild(scope: IConstruct, id: string, className: string): PropValidator {
    return new PropValidator(className, scope.node.path ? `${scope.node.path}/${id}` : id);
  }

  private constructor(private readonly className: string, private readonly path: string) {}

  /** Throws the error every check uses. */
  public fail(message: string): never {
    throw new Error(`${this.className} '${this.path}': ${message}`);
  }

  /**
   * Checks that `value` is a Duration of a finite, non-negative length, and with bounds, of whole seconds within
   * [min, max]; returns it. `undefined` passes through; a token is returned unchecked.
   */
  public duration(prop: string, value: unknown, min?: Duration, max?: Duration): Duration | undefined {
    if (value === undefined) return undefined;
    if (!isDuration(value)) this.fail(`${prop} must be a Duration, got ${describeValue(value)}`);
    if (value.isUnresolved()) return value;
    const range = min !== undefined && max !== undefined
      ? `between ${min.toHumanString()} and ${max.toHumanString()} (${max.toSeconds()} s)`
      : undefined;
    // Not `toMilliseconds()`: aws-cdk-lib throws its own message, naming no prop, for NaN and Infinity.
    const ms = value.toMilliseconds({ integral: false });
    if (!Number.isFinite(ms) || ms < 0) this.fail(`${prop} must be ${range ?? 'a finite, non-negative Duration'}, got ${human(value)}`);
    if (range === undefined) return value;
    if (ms < min!.toMilliseconds() || ms > max!.toMilliseconds()) this.fail(`${prop} must be ${range}, got ${human(value)}`);
    if (ms % 1000 !== 0) this.fail(`${prop} must be a whole number of seconds ${range}, got ${human(value)}`);
    return value;
  }

  /** Like `duration`, for a count of whole days within [minDays, maxDays]. */
  public wholeDays(prop: string, value: unknown, minDays: number, maxDays: number): Duration | undefined {
    if (value === undefined) return undefined;
    if (!isDuration(value)) this.fail(`${prop} must be a Duration, got ${describeValue(value)}`);
    if (value.isUnresolved()) return value;
    const days = value.toMilliseconds({ integral: false }) / Duration.days(1).toMilliseconds();
    if (!Number.isInteger(days) || days < minDays || days > maxDays) {
      this.fail(`${prop} must be a whole number of days between ${minDays} and ${maxDays}, got ${human(value)}`);
    }
    return value;
  }

  /** Checks that `value` is undefined or a whole number of at least `min` (and at most `max`); returns it. Tokens pass. */
  public count(prop: string, value: unknown, min: number, max?: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Token.isUnresolved(value)) return value;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
      const range = max !== undefined ? `from ${min} to ${max}` : `of at least ${min}`;
      this.fail(`${prop} must be a whole number ${range}, got ${describeValue(value)}`);
    }
    return value;
  }

  /** Checks that `value` is undefined or a Size within [min, max]; returns it in bytes. Tokens pass. */
  public bytes(prop: string, value: unknown, min: Size, max: Size): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || typeof (value as Size).toBytes !== 'function') {
      this.fail(`${prop} must be a Size, got ${describeValue(value)}`);
    }
    const size = value as Size;
    if (size.isUnresolved()) return size.toBytes();
    const bytes = size.toBytes();
    if (bytes < min.toBytes() || bytes > max.toBytes()) {
      this.fail(`${prop} must be from ${min.toBytes()} to ${max.toBytes()} bytes, got ${bytes} bytes`);
    }
    return bytes;
  }

  /** Checks that `value` is undefined, a token, or a string; returns it. */
  public string(prop: string, value: unknown): string | undefined {
    if (value === undefined || typeof value === 'string') return value;
    return this.fail(`${prop} must be a string, got ${describeValue(value)}`);
  }

  /**
   * Checks that `value` is undefined or an object with the method or attribute `member`, as an
   * instance of `type` (say, 'a lambda.Code') has: duck-typed, like `isDuration`. Returns it.
   */
  public instance<T>(prop: string, value: T | undefined, type: string, member: string): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || !(member in value)) {
      this.fail(`${prop} must be ${type}, got ${describeValue(value)}`);
    }
    return value;
  }

  /** Like `instance`, for a list: each item is checked and named by its index (`securityGroups[1]`). */
  public instances<T>(prop: string, value: T[] | undefined, type: string, member: string): T[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.fail(`${prop} must be a list, each ${type}, got ${describeValue(value)}`);
    value.forEach((item, i) => this.instance(`${prop}[${i}]`, item, type, member));
    return value;
  }

  /** Checks a resolved string against a pattern. Tokens pass. */
  public pattern(prop: string, value: string, pattern: RegExp, rule: string): void {
    if (Token.isUnresolved(value)) return;
    if (!pattern.test(value)) this.fail(`${prop} must be ${rule}, got '${value}'`);
  }

  /** Checks that `value` is undefined or a non-empty list of `allowed` values; returns it. */
  public listOf<T extends string>(prop: string, value: T[] | undefined, allowed: readonly T[], emptyHint: string): T[] | undefined {
    if (value === undefined) return undefined;
    const choices = allowed.join(', ');
    if (!Array.isArray(value)) this.fail(`${prop} must be a list of ${choices}, got ${describeValue(value)}`);
    if (value.length === 0) this.fail(`${prop} must name at least one of ${choices} (${emptyHint}), got an empty list`);
    const bad = value.filter((item) => !allowed.includes(item));
    if (bad.length > 0) this.fail(`${prop} must contain only ${choices}, got ${bad.map(describeValue).join(', ')}`);
    return value;
  }
}

/** `toHumanString()` is empty for NaN and nonsense for a negative amount: those are given in seconds. */
function human(d: Duration): string {
  const ms = d.toMilliseconds({ integral: false });
  return Number.isFinite(ms) && ms >= 0 ? d.toHumanString() : `${ms / 1000} seconds`;
}

function isDuration(value: unknown): value is Duration {
  // Duck-typed: a second copy of aws-cdk-lib in node_modules has its own Duration class.
  return typeof value === 'object' && value !== null
    && typeof (value as Duration).toMilliseconds === 'function'
    && typeof (value as Duration).isUnresolved === 'function'
    && typeof (value as Duration).toHumanString === 'function';
}

/** A short, never-throwing description of an unexpected value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `${typeof value} ${String(value)}`;
}
