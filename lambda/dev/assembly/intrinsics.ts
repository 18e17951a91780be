// Environment values in a template may be CloudFormation intrinsics. Those the dev server can answer locally (the
// names and ARNs of the functions it serves, the pseudo parameters, joins and substitutions of them) are resolved;
// anything else (a table's name, an import) only exists once deployed.
import { ACCOUNT } from '../../testing/engine/arn';

/** What a `Ref` or `Fn::GetAtt` of a served resource gives. */
export interface LocalResource {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface IntrinsicContext {
  readonly region: string;
  readonly stackName: string;
  /** By logical id. */
  readonly resources: ReadonlyMap<string, LocalResource>;
}

/** The value as a string, or undefined when it holds something only a deployment knows. */
export function resolveValue(value: unknown, context: IntrinsicContext): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length !== 1) return undefined;
  const [fn, argument] = entries[0];
  switch (fn) {
    case 'Ref':
      return typeof argument === 'string' ? ref(argument, context) : undefined;
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
      return context.resources.get(logicalId)?.attributes[attribute];
    }
    case 'Fn::Join': {
      if (!Array.isArray(argument) || typeof argument[0] !== 'string' || !Array.isArray(argument[1])) return undefined;
      const parts = (argument[1] as unknown[]).map((part) => resolveValue(part, context));
      return parts.every((part) => part !== undefined) ? parts.join(argument[0]) : undefined;
    }
    case 'Fn::Sub': {
      if (typeof argument !== 'string') return undefined;
      let unresolved = false;
      const text = argument.replace(/\$\{([^}!]+)\}/g, (_match, name: string) => {
        const [logicalId, attribute] = name.split('.');
        const resolved = attribute === undefined ? ref(logicalId, context) : context.resources.get(logicalId)?.attributes[attribute];
        if (resolved === undefined) unresolved = true;
        return resolved ?? '';
      });
      return unresolved ? undefined : text;
    }
    default:
      return undefined;
  }
}

function ref(name: string, context: IntrinsicContext): string | undefined {
  switch (name) {
    case 'AWS::Region': return context.region;
    case 'AWS::AccountId': return ACCOUNT;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::StackName': return context.stackName;
    default: return context.resources.get(name)?.ref;
  }
}
