import { Duration, Token } from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';

/**
 * Range checks for `DurableWorkflow` props. Every failure is an `Error` whose message names the
 * construct path, the prop, the allowed range or choice and the value it got. Unresolved tokens
 * are accepted unchecked: their value is only known at deploy time.
 */
export class PropValidator {
  constructor(private readonly scope: IConstruct) {}

  /** Throws the error every check uses: `DurableWorkflow 'path': message`. */
  public fail(message: string): never {
    throw new Error(`DurableWorkflow '${this.scope.node.path}': ${message}`);
  }

  /**
   * Checks that `value` is a Duration of whole seconds within [min, max] and returns it. `undefined`
   * passes through; a token is returned unchecked.
   */
  public duration(prop: string, value: unknown, min: Duration, max: Duration): Duration | undefined {
    if (value === undefined) return undefined;
    if (!isDuration(value)) this.fail(`${prop} must be a Duration, got ${describeValue(value)}`);
    if (value.isUnresolved()) return value;
    const range = `between ${min.toHumanString()} and ${max.toHumanString()} (${max.toSeconds()} s)`;
    const ms = value.toMilliseconds();
    if (!Number.isFinite(ms) || ms < min.toMilliseconds() || ms > max.toMilliseconds()) {
      this.fail(`${prop} must be ${range}, got ${human(value)}`);
    }
    if (ms % 1000 !== 0) this.fail(`${prop} must be a whole number of seconds ${range}, got ${human(value)}`);
    return value;
  }

  /** Like `duration`, for a count of whole days within [minDays, maxDays]. */
  public wholeDays(prop: string, value: unknown, minDays: number, maxDays: number): Duration | undefined {
    if (value === undefined) return undefined;
    if (!isDuration(value)) this.fail(`${prop} must be a Duration, got ${describeValue(value)}`);
    if (value.isUnresolved()) return value;
    const ms = value.toMilliseconds();
    const days = ms / Duration.days(1).toMilliseconds();
    if (!Number.isInteger(days) || days < minDays || days > maxDays) {
      this.fail(`${prop} must be a whole number of days between ${minDays} and ${maxDays}, got ${human(value)}`);
    }
    return value;
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

  /** Checks a resolved string against a pattern and a length range. Tokens pass. */
  public pattern(prop: string, value: string, pattern: RegExp, rule: string): void {
    if (Token.isUnresolved(value)) return;
    if (!pattern.test(value)) this.fail(`${prop} must be ${rule}, got '${value}'`);
  }
}

/** `toHumanString()` is empty for NaN. */
function human(d: Duration): string {
  return d.toHumanString() || `${d.toMilliseconds()} ms`;
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
