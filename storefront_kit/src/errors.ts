/** A structured error, as the plugin's payloads return them (`errors { field code message }`). */
export type FieldError = {
  /** Where it belongs: `primary.email`, `alternate`, `lines.0.metadata.engraving`; null for the whole request. */
  field: string | null;
  /** `REQUIRED`, `INVALID`, `NOT_FOUND`, … (the plugin's `TakeoverErrorCode`). */
  code: string;
  message: string;
};
