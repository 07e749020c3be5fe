/**
 * The one error type the gateway raises towards clients. It carries a catalogue code and a message
 * written for the client; `toBody()` renders the OpenAI error shape. Anything else thrown on a
 * request path becomes `internal_error` with a generic message (no stack trace leaves the process).
 */
import { errorCatalog, type ErrorCode, type ErrorDefinition } from './catalog';

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export class GatewayError extends Error {
  readonly definition: ErrorDefinition;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The request part at fault: a body path (`messages[0].role`) or a header name. */
    readonly param: string | null = null,
    /** Extra response headers (Retry-After, rate-limit headers). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'GatewayError';
    this.definition = errorCatalog[code];
  }

  get status(): number {
    return this.definition.status;
  }

  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.definition.type, param: this.param, code: this.code } };
  }
}

/** Any thrown value as a GatewayError; unknown errors lose their message (it may hold internals). */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'The gateway failed to process the request.');
}
