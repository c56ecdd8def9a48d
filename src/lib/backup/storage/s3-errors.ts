import { StorageError, systemErrorCode } from './errors';

/** Where a failed request went, for messages: `bucket` and `endpoint` never carry credentials. */
export interface TS3ErrorContext {
  bucket: string;
  endpoint: string;
  location: string;
  verb: string;
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound']);
const BAD_CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);
const THROTTLED = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
const SERVER_FAULT = new Set(['InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeoutException']);
const CONNECTION = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface TSdkErrorShape {
  name: string;
  status: number | undefined;
}

function shapeOf(error: unknown): TSdkErrorShape {
  if (typeof error !== 'object' || error === null) return { name: 'unknown error', status: undefined };
  const name = 'name' in error && typeof error.name === 'string' ? error.name : 'unknown error';
  const metadata = '$metadata' in error ? (error.$metadata as { httpStatusCode?: number } | undefined) : undefined;
  return { name, status: metadata?.httpStatusCode };
}

/** True for the SDK's "no such object" errors (GetObject's NoSuchKey, HeadObject's bodiless 404). */
export function isS3NotFound(error: unknown): boolean {
  const { name, status } = shapeOf(error);
  return NOT_FOUND.has(name) || (status === 404 && name !== 'NoSuchBucket' && name !== 'NoSuchUpload');
}

/**
 * Turns an SDK or transport error into a `StorageError`. Messages are built
 * from the error's name and HTTP status only: the SDK's own message can carry
 * raw response bodies.
 */
export function mapS3Error(error: unknown, context: TS3ErrorContext): StorageError {
  if (error instanceof StorageError) return error;
  const { name, status } = shapeOf(error);
  const { bucket, endpoint, location, verb } = context;
  const options = { cause: error };
  const connectionCode = systemErrorCode(error);

  if (isS3NotFound(error)) return new StorageError('NOT_FOUND', `No backup object at ${location}`, options);
  if (name === 'NoSuchBucket') {
    return new StorageError('MISCONFIGURED', `Bucket ${bucket} does not exist at ${endpoint}: create it or fix S3_BUCKET`, options);
  }
  if (name === 'CredentialsProviderError') {
    return new StorageError(
      'ACCESS_DENIED',
      `No AWS credentials found for bucket ${bucket}: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run with an instance role`,
      options,
    );
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new StorageError(
      'ACCESS_DENIED',
      `S3 rejected the credentials for bucket ${bucket} (${name}): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile`,
      options,
    );
  }
  if (name === 'AccessDenied' || status === 403) {
    return new StorageError(
      'ACCESS_DENIED',
      `S3 denied access to ${location} (${name === 'AccessDenied' ? name : 'HTTP 403'}): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY ` +
        `or the profile, and that its policy allows s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on ${bucket}`,
      options,
    );
  }
  if (THROTTLED.has(name) || status === 429) {
    return new StorageError('UNAVAILABLE', `S3 is throttling requests to bucket ${bucket} (${name}); try again later`, options);
  }
  if (SERVER_FAULT.has(name) || (status !== undefined && status >= 500)) {
    return new StorageError('UNAVAILABLE', `S3 at ${endpoint} failed to ${verb} ${location} (${name}, HTTP ${status ?? '?'})`, options);
  }
  if (name === 'TimeoutError' || (connectionCode !== undefined && CONNECTION.has(connectionCode))) {
    return new StorageError('UNAVAILABLE', `Could not reach S3 at ${endpoint} to ${verb} ${location} (${connectionCode ?? name})`, options);
  }
  return new StorageError('UNKNOWN', `S3 request to ${verb} ${location} failed (${name}${status ? `, HTTP ${status}` : ''})`, options);
}
