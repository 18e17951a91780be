// The synth baseline is only a floor if it deploys the same thing. This compares the two cloud assemblies resource by
// resource: logical IDs and construct metadata differ by design, so references are rewritten to the referenced
// resource's type before comparing; everything else (types, properties, dependencies, retention) must be equal.
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Resource {
  Type: string;
  Properties?: unknown;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface FairnessReport {
  /** Whether the normalized resources of every stack are the same. */
  readonly identical: boolean;
  /** Resource count per type, the same on both sides when `identical`. */
  readonly typeCounts: Record<string, number>;
  /** Up to 5 resources (normalized JSON) found on one side only. */
  readonly differences: string[];
}

/** Compares the templates of two cloud assembly folders, stack by stack. */
export function compareAssemblies(candidateDir: string, baselineDir: string): FairnessReport {
  const candidate = readTemplates(candidateDir);
  const baseline = readTemplates(baselineDir);
  const differences: string[] = [];
  const stacks = new Set([...Object.keys(candidate), ...Object.keys(baseline)]);
  for (const stack of stacks) {
    const a = normalizedResources(candidate[stack]);
    const b = normalizedResources(baseline[stack]);
    differences.push(...onlyIn(a, b).map((r) => `${stack}, construct only: ${r}`));
    differences.push(...onlyIn(b, a).map((r) => `${stack}, baseline only: ${r}`));
  }
  const typeCounts: Record<string, number> = {};
  for (const template of Object.values(candidate)) {
    for (const resource of Object.values(template)) typeCounts[resource.Type] = (typeCounts[resource.Type] ?? 0) + 1;
  }
  return { identical: differences.length === 0, typeCounts, differences: differences.slice(0, 5) };
}

function readTemplates(dir: string): Record<string, Record<string, Resource>> {
  const templates: Record<string, Record<string, Resource>> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'))) {
    templates[file] = (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { Resources?: Record<string, Resource> }).Resources ?? {};
  }
  return templates;
}

/** Each resource as canonical JSON, with every logical ID replaced by `<Type>`; sorted. */
function normalizedResources(resources: Record<string, Resource> = {}): string[] {
  const typeOf = (id: string) => (resources[id] ? `<${resources[id].Type}>` : id);
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === 'Ref' && typeof entries[0][1] === 'string') return { Ref: typeOf(entries[0][1]) };
    if (entries.length === 1 && entries[0][0] === 'Fn::GetAtt' && Array.isArray(entries[0][1])) {
      const [id, attribute] = entries[0][1] as [string, unknown];
      return { 'Fn::GetAtt': [typeOf(id), rewrite(attribute)] };
    }
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, rewrite(v)]));
  };
  return Object.values(resources).map((r) => JSON.stringify(rewrite({
    Type: r.Type,
    Properties: r.Properties,
    DependsOn: ([] as string[]).concat(r.DependsOn ?? []).map(typeOf).sort(),
    DeletionPolicy: r.DeletionPolicy,
    UpdateReplacePolicy: r.UpdateReplacePolicy,
  }))).sort();
}

/** Items of `a` not matched one-for-one in `b`. */
function onlyIn(a: string[], b: string[]): string[] {
  const remaining = new Map<string, number>();
  for (const item of b) remaining.set(item, (remaining.get(item) ?? 0) + 1);
  return a.filter((item) => {
    const left = remaining.get(item) ?? 0;
    if (left === 0) return true;
    remaining.set(item, left - 1);
    return false;
  });
}
