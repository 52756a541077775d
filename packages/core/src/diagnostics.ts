/** Where a problem sits in the user's input. */
export interface SourceLocation {
  file: string;
  /** 0-based index of the YAML document in the file. */
  document: number;
  /** 1-based line, when the parser knows it. */
  line?: number;
}

export interface ResourceRef {
  kind: string;
  namespace: string;
  name: string;
}

export type Severity = 'error' | 'warning';

/** The codes core itself gives diagnostics (docs/architecture.md, "Diagnostics"); plugins add their own. */
export type CoreDiagnosticCode =
  // Loading
  | 'invalid-input'
  | 'input-too-large'
  | 'document-too-large'
  | 'too-deep'
  | 'unsafe-input'
  | 'unknown-kind'
  | 'not-an-object'
  // Backends
  | 'invalid-field'
  | 'unknown-field'
  | 'exactly-one-type'
  | 'type-mismatch'
  | 'duplicate'
  | 'plugin-failed'
  | 'invalid-output'
  | 'merge-conflict'
  | 'refused-address'
  // Routing
  | 'invalid-kind'
  | 'ref-not-permitted'
  | 'backend-not-found'
  | 'port-ignored';

/**
 * A problem found in the input. Diagnostics are data: nothing a user writes makes backendkit throw.
 * An error on a Backend makes it invalid (no cluster); a warning is reported and changes nothing.
 */
export interface Diagnostic {
  severity: Severity;
  /**
   * Stable, machine-readable: one of core's codes (`invalid-field`, `exactly-one-type`,
   * `merge-conflict`, ...) or a plugin's own (`service-not-found`).
   */
  code: CoreDiagnosticCode | (string & {});
  message: string;
  /** Path into the resource, e.g. `spec.static.hosts[0].port`. */
  path?: string;
  /** The plugin that raised it. */
  plugin?: string;
  resource?: ResourceRef;
  source?: SourceLocation;
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

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and the bidirectional overrides,
 * which in text printed to a terminal start a new line, drive the terminal (ANSI escapes) or reorder
 * what is shown.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this is for
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text safe to print where people read it: control characters are written as escapes (`\n`,
 * `\x1b`, `\u202e`), so input text (a name, a key, a value) cannot forge a line or drive a terminal.
 * Used by `formatDiagnostic` and for condition messages (docs/security.md).
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return SHORT[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
  });
}

/** One line a person can read: `file.yaml#1 Backend default/x spec.static.hosts: message`. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  return printable(rawLine(diagnostic));
}

function rawLine(diagnostic: Diagnostic): string {
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
