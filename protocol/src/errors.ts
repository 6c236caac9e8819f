// The one error body every API failure has.
import { Type } from 'typebox';

/** Every 4xx/5xx body: a stable code for programs, a message for people. */
export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
});
