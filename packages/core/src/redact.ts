/**
 * Cuts secret values out of a message meant for people (diagnostics, conditions, logs), also in
 * their JSON-escaped form since messages often print values as JSON. Longest first, so a secret that
 * contains another is cut whole.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>, mask = '[redacted]'): string {
  const values = secrets.filter((v): v is string => v !== undefined && v !== '');
  if (values.length === 0) return text;
  const forms = [...new Set(values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  return forms.reduce((out, form) => out.split(form).join(mask), text);
}
