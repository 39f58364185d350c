import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError, UploadRejectedError, ValidationError } from '../../shared/errors.js';
import type { FilePart } from '../route-spec.js';

export interface UploadLimits {
  /** Bytes per file of a field that declares no maxBytes of its own. */
  readonly maxFileBytes: number;
  /**
   * All files of one request together: what one upload slot may hold in memory, whatever the number of parts.
   * Default: what the fields declare, each field's per-file limit times its file count (a selfie and a document;
   * a selfie and 12 challenge frames), so a request within every per-file limit always fits.
   */
  readonly maxRequestBytes?: number;
}

const MULTER_CODES: Record<string, [string, number, string]> = {
  LIMIT_FILE_SIZE: ['IMAGE_TOO_LARGE', 413, 'A file is larger than the upload limit.'],
  LIMIT_UNEXPECTED_FILE: ['UNEXPECTED_FILE_FIELD', 400, 'A file was sent in a field this endpoint does not take, or more files than the field allows.'],
  LIMIT_PART_COUNT: ['MULTIPART_TOO_MANY_PARTS', 400, 'The form has too many parts.'],
  LIMIT_FILE_COUNT: ['MULTIPART_TOO_MANY_FILES', 400, 'The form has too many files.'],
  LIMIT_FIELD_COUNT: ['MULTIPART_TOO_MANY_FIELDS', 400, 'The form has too many fields.'],
  LIMIT_FIELD_KEY: ['MULTIPART_FIELD_NAME_TOO_LONG', 400, 'A form field name is too long.'],
  LIMIT_FIELD_VALUE: ['MULTIPART_FIELD_TOO_LARGE', 400, 'A form field value is too large.'],
};

/**
 * Reads a multipart form into memory within hard limits (bytes per file, number of parts), and
 * refuses anything else before a route sees it. Images are checked further by the image codec.
 */
export function multipartUpload(files: readonly FilePart[], limits: UploadLimits): RequestHandler {
  const maxFiles = files.reduce((n, f) => n + (f.maxCount ?? 1), 0);
  const perFile = new Map(files.map((f) => [f.name, f.maxBytes ?? limits.maxFileBytes]));
  const budget = limits.maxRequestBytes ?? files.reduce((n, f) => n + (f.maxCount ?? 1) * perFile.get(f.name)!, 0);
  const parse = multer({
    storage: boundedMemoryStorage(budget, perFile),
    limits: {
      fileSize: Math.max(...perFile.values()), files: maxFiles + 1, fields: 8, parts: maxFiles + 9, fieldSize: 64 * 1024, fieldNameSize: 64,
    },
  }).fields(files.map((f) => ({ name: f.name, maxCount: f.maxCount ?? 1 })));

  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      throw new AppError('MULTIPART_REQUIRED', 'Send the images as multipart/form-data.', 415);
    }
    parse(req, res, (err?: unknown) => {
      if (err) return next(toUploadError(err));
      const received = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
      const missing = files.filter((f) => f.required && !received[f.name]?.length).map((f) => f.name);
      if (missing.length) {
        return next(new ValidationError('FILE_REQUIRED', `Missing file field(s): ${missing.join(', ')}.`, { fields: missing }));
      }
      next();
    });
  };
}

/**
 * multer's memory storage with a budget per request: the files of one form together hold at most `maxRequestBytes`,
 * and each file at most its field's limit (multer's own fileSize limit is one number for every field). Past either
 * nothing more is kept: multer reads and drops the rest of the body (so the client is not cut off mid-send) and the
 * request is refused with 413 (IMAGE_TOO_LARGE naming the field, or UPLOAD_TOO_LARGE).
 */
function boundedMemoryStorage(maxRequestBytes: number, perFile: ReadonlyMap<string, number>): multer.StorageEngine {
  const received = new WeakMap<object, number>();
  return {
    _handleFile(req, file, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (error: Error | null, info?: Partial<Express.Multer.File>) => {
        if (settled) return;
        settled = true;
        callback(error, info);
      };
      file.stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        const total = (received.get(req) ?? 0) + chunk.length;
        received.set(req, total);
        const maxBytes = perFile.get(file.fieldname);
        if (maxBytes !== undefined && size + chunk.length > maxBytes) {
          chunks.length = 0;
          settle(new UploadRejectedError('IMAGE_TOO_LARGE', `A "${file.fieldname}" file is larger than its limit of ${maxBytes} bytes.`, 413, {
            field: file.fieldname, maxBytes,
          }));
          return;
        }
        if (total > maxRequestBytes) {
          chunks.length = 0;
          settle(new UploadRejectedError('UPLOAD_TOO_LARGE', `The files of one request may hold ${maxRequestBytes} bytes together.`, 413, {
            maxRequestBytes,
          }));
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      file.stream.on('end', () => settle(null, { buffer: Buffer.concat(chunks, size), size }));
    },
    _removeFile(_req, file, callback) {
      delete (file as Partial<Express.Multer.File>).buffer;
      callback(null);
    },
  };
}

/** The uploaded file of a field, if any. */
export function uploadedFile(req: { files?: unknown }, field: string): Buffer | undefined {
  return uploadedFiles(req, field)[0];
}

/** Every file of a field, in the order they were sent. */
export function uploadedFiles(req: { files?: unknown }, field: string): Buffer[] {
  const files = req.files as Record<string, Express.Multer.File[]> | undefined;
  return (files?.[field] ?? []).map((f) => f.buffer);
}

function toUploadError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code;
  const known = code ? MULTER_CODES[code] : undefined;
  if (known) return new UploadRejectedError(known[0], known[2], known[1], { field: (err as { field?: string }).field });
  return new ValidationError('MULTIPART_MALFORMED', 'The multipart form could not be read.');
}
