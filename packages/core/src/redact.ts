/**
 * Base64 fragments shorter than this are not redacted: a short secret's fragment would also match
 * unrelated text. A secret shorter than 9 characters still has its plain, JSON and URL forms cut.
 */
const MIN_BASE64_FRAGMENT = 8;

/**
 * Cuts secret values out of a message meant for people (diagnostics, conditions, logs), in every
 * form a message may carry them: as written, JSON-escaped (messages often print values as JSON),
 * URL-encoded (a query string or form body echoed back; `%2F` and `%2f`, `+` for a space), and
 * base64 or base64url at any alignment inside a longer encoded text (an echoed `Authorization`
 * header, a token that embeds the key). Longest first, so a secret that contains another is cut
 * whole. Redact before cutting a message to length: a secret that crosses the cut would leave its
 * start behind.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>, mask = '[redacted]'): string {
  const values = secrets.filter((v): v is string => v !== undefined && v !== '');
  if (values.length === 0) return text;
  const forms = [...new Set(values.flatMap(formsOf))].filter((f) => f !== '').sort((a, b) => b.length - a.length);
  return forms.reduce((out, form) => (out.includes(form) ? out.split(form).join(mask) : out), text);
}

function formsOf(value: string): string[] {
  const url = encodeURIComponent(value);
  const lowerUrl = url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
  const form = url.replace(/%20/g, '+');
  return [value, JSON.stringify(value).slice(1, -1), url, lowerUrl, form, ...base64Forms(value)];
}

/**
 * The part of a value's base64 encoding that is the same wherever the value sits in a longer
 * encoded text: for each of the three alignments, the characters that hold only the value's bits.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    // Characters that mix the prefix's bits with the value's, and a last one mixed with padding.
    const start = offset === 0 ? 0 : offset + 1;
    const end = (offset + bytes.length) % 3 === 0 ? encoded.length : encoded.length - 1;
    const fragment = encoded.slice(start, end);
    if (fragment.length < MIN_BASE64_FRAGMENT) continue;
    forms.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}
