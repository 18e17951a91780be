import { DurableWorkflow } from '../src';
import { ENV, FN_ARN, inlineWorkflow, newStack } from './support/synth';

// One qualifier rule: the alias a DurableWorkflow creates and the qualifier an imported workflow is
// started through accept and refuse the same names; only a version number is for imports alone.

const asAliasName = (name: string) => () => inlineWorkflow(newStack(), { aliasName: name }, 'Wf');
const asImportQualifier = (name: string) => () => DurableWorkflow.fromWorkflowAttributes(newStack({ env: ENV }), 'Wf', { functionArn: FN_ARN, qualifier: name });
const inQualifiedArn = (name: string) => () => DurableWorkflow.fromQualifiedArn(newStack({ env: ENV }), 'Wf', `${FN_ARN}:${name}`);

test.each([['live'], ['prod_v-2'], ['v1'], ['1a'], ['a'.repeat(128)]])('%s is an alias name everywhere', (name) => {
  expect(asAliasName(name)).not.toThrow();
  expect(asImportQualifier(name)).not.toThrow();
  expect(inQualifiedArn(name)).not.toThrow();
});

test.each([
  ['$LATEST', /must be an alias name or a version number, not \$LATEST \(permissions and triggers cannot name it, and running executions must stay on a published version\), got '\$LATEST'/],
  ['go live', /must be an alias name \(1-128 letters, digits, '-' or '_', not all digits \(a Lambda alias name\)\) or a version number, got 'go live'/],
  ['a'.repeat(129), /must be an alias name .* or a version number, got 'a{129}'/],
  ['bad!alias', /must be an alias name .* or a version number, got 'bad!alias'/],
])('%s is refused everywhere, with the same rule', (name: string, importMessage: RegExp) => {
  expect(asAliasName(name)).toThrow(new RegExp(`^DurableWorkflow 'Stack/Wf': aliasName must be 1-128 letters, digits, '-' or '_', not all digits \\(a Lambda alias name\\), got '${name.replace('$', '\\$')}'$`));
  expect(asImportQualifier(name)).toThrow(new RegExp(`^DurableWorkflow 'Stack/Wf': qualifier ${importMessage.source}$`));
  expect(inQualifiedArn(name)).toThrow(new RegExp(`^DurableWorkflow 'Stack/Wf': qualifiedArn's qualifier ${importMessage.source}$`));
});

test('a version number: an import may be started through it; a DurableWorkflow cannot name its alias so', () => {
  expect(asImportQualifier('42')).not.toThrow();
  expect(inQualifiedArn('42')).not.toThrow();
  expect(asAliasName('42')).toThrow("aliasName must be 1-128 letters, digits, '-' or '_', not all digits (a Lambda alias name), got '42'");
});

test('an empty qualifier is refused', () => {
  expect(asAliasName('')).toThrow("aliasName must be 1-128 letters, digits, '-' or '_', not all digits (a Lambda alias name), got ''");
  expect(asImportQualifier('')).toThrow("DurableWorkflow 'Stack/Wf': qualifier must be an alias name");
});
