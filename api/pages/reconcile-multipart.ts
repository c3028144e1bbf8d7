// A browser's multipart/form-data body (RFC 7578), read from the bytes already received: the
// bank-file upload form sends a few text fields and one file. No library: the form is ours, so
// only what a browser sends is read (a part per field, Content-Disposition with name and perhaps
// filename, an optional Content-Type), and anything else is refused as unreadable.

export interface UploadedFile {
  /** the file's name as the browser gave it (its last path segment) */
  filename: string;
  contentType?: string;
  data: Buffer;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

export class MultipartError extends Error {}

const MAX_PARTS = 20;
const MAX_FIELD_BYTES = 64 * 1024;

/** The boundary of a multipart/form-data content type, or undefined when it is none. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function dispositionOf(headers: string): { name: string; filename?: string } {
  const line = headers.split('\r\n').find((h) => /^content-disposition\s*:/i.test(h));
  if (!line || !/:\s*form-data\s*(;|$)/i.test(line)) throw new MultipartError('a part without form-data disposition');
  const param = (key: string) => {
    const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(line);
    return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
  };
  const name = param('name');
  if (name === undefined) throw new MultipartError('a part without a name');
  return { name, filename: param('filename') };
}

export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartForm {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new MultipartError('not multipart/form-data');
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const form: MultipartForm = { fields: {}, files: {} };
  let at = body.indexOf(delimiter);
  if (at < 0) throw new MultipartError('no boundary in the body');
  for (let parts = 0; ; parts++) {
    at += delimiter.length;
    // "--" after a delimiter closes the body.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return form;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new MultipartError('a delimiter not followed by CRLF');
    if (parts >= MAX_PARTS) throw new MultipartError('too many parts');
    const headStart = at + 2;
    const headEnd = body.indexOf('\r\n\r\n', headStart, 'latin1');
    if (headEnd < 0) throw new MultipartError('a part without the end of its headers');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`, 'latin1'), headEnd + 4);
    if (next < 0) throw new MultipartError('a part without the closing delimiter');
    // Header values are UTF-8 in today's browsers (a file name with é).
    const headers = body.toString('utf8', headStart, headEnd);
    const { name, filename } = dispositionOf(headers);
    const data = body.subarray(headEnd + 4, next);
    if (filename !== undefined) {
      const type = /^content-type\s*:\s*(.+)$/im.exec(headers)?.[1]?.trim();
      form.files[name] = { filename: filename.split(/[\\/]/).pop() ?? '', contentType: type, data };
    } else {
      if (data.length > MAX_FIELD_BYTES) throw new MultipartError(`field ${name} is too long`);
      form.fields[name] = data.toString('utf8');
    }
    at = next + 2;
  }
}
