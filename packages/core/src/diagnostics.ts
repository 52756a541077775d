/** Where a problem sits in the user's input. */
export interface SourceLocation {
  file: string;
  /** 0-based index of the YAML document in the file. */
  document: number;
  /** 1-based line, when the parser knows it. */
  line?: number;
  /** 1-based column of `line`, when the parser knows it. */
  column?: number;
}

export interface ResourceRef {
  kind: string;
  namespace: string;
  name: string;
}

export type Severity = 'error' | 'warning';

/**
 * A problem found in the input. Diagnostics are data: nothing a user writes makes backendkit throw.
 * An error on a Backend makes it invalid (no cluster); a warning is reported and changes nothing.
 */
export interface Diagnostic {
  severity: Severity;
  /** Stable, machine-readable: `invalid-field`, `exactly-one-type`, `merge-conflict`, ... */
  code: string;
  message: string;
  /** Path into the resource, e.g. `spec.static.hosts[0].port`. */
  path?: string;
  /** The plugin that raised it. */
  plugin?: string;
  resource?: ResourceRef;
  source?: SourceLocation;
}

export function isError(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === 'error';
}

/** `spec.static` + `['hosts', 0, 'port']` → `spec.static.hosts[0].port`. */
export function joinPath(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment)) path += path ? `.${segment}` : segment;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

/** `file.yaml:12:3`, `file.yaml:12` or `file.yaml`: a location as editors and compilers print it. */
export function locationText(source: SourceLocation): string {
  return `${source.file}${source.line ? `:${source.line}${source.column ? `:${source.column}` : ''}` : ''}`;
}

/** One line a person can read: `file.yaml#1 Backend default/x spec.static.hosts: message`. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where: string[] = [];
  if (diagnostic.source) {
    const { file, document, line } = diagnostic.source;
    where.push(`${file}#${document}${line ? `:${line}` : ''}`);
  }
  if (diagnostic.resource) {
    const { kind, namespace, name } = diagnostic.resource;
    where.push(`${kind} ${namespace}/${name}`);
  }
  const path = diagnostic.path ? `${diagnostic.path}: ` : '';
  const prefix = where.length ? `${where.join(' ')}: ` : '';
  return `${diagnostic.severity}: ${prefix}${path}${diagnostic.message}`;
}
