import { Token } from 'aws-cdk-lib/core';
import { describeValue, PropValidator } from './validation';

/**
 * The qualifier rule, for the alias a `DurableWorkflow` creates and for the qualifier an imported one
 * is started through. Lambda alias names are 1-128 of `[a-zA-Z0-9-_]` and not all digits (that would
 * be a version number). `$LATEST` is never a qualifier here: permissions and triggers cannot name it,
 * and a running execution must stay on a published version.
 */
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9_-]{1,128}$/;
const ALIAS_RULE = "1-128 letters, digits, '-' or '_', not all digits (a Lambda alias name)";
const VERSION_NUMBER = /^[1-9][0-9]*$/;

/** Checks the name of an alias to create; returns it. `undefined` and tokens pass. */
export function checkAliasName(v: PropValidator, prop: string, value: unknown): string | undefined {
  const name = v.string(prop, value);
  if (name !== undefined) v.pattern(prop, name, ALIAS_NAME, ALIAS_RULE);
  return name;
}

/** Checks a required qualifier of an existing function: an alias name or a version number. Tokens pass. */
export function checkQualifier(v: PropValidator, prop: string, value: unknown): string {
  if (typeof value !== 'string') v.fail(`${prop} must be an alias name or a version number, got ${describeValue(value)}`);
  if (Token.isUnresolved(value)) return value;
  if (value.startsWith('$LATEST')) {
    v.fail(`${prop} must be an alias name or a version number, not $LATEST (permissions and triggers cannot name it, `
      + `and running executions must stay on a published version), got '${value}'`);
  }
  if (!ALIAS_NAME.test(value) && !VERSION_NUMBER.test(value)) {
    v.fail(`${prop} must be an alias name (${ALIAS_RULE}) or a version number, got '${value}'`);
  }
  return value;
}
