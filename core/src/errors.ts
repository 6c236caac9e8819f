/** A configuration value is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** A dependency the product starts or connects to at boot is unusable (port taken, server down). */
export class StartupError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
    this.code = code;
  }
}

/** An object was used after close(). */
export class InvalidStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStateError';
  }
}

/** Explains why a server could not listen, in one line. */
export function describeListenError(error: unknown, what: string, port: number): StartupError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new StartupError('PORT_IN_USE', `${what} port ${port} is already in use; stop the other program or set another port`, { cause: error });
  if (code === 'EACCES') return new StartupError('PORT_DENIED', `${what} may not listen on port ${port}; choose a port above 1024`, { cause: error });
  if (code === 'EADDRNOTAVAIL') return new StartupError('ADDRESS_UNAVAILABLE', `${what} cannot bind its address (check HOST)`, { cause: error });
  return new StartupError('LISTEN_FAILED', `${what} could not listen on port ${port}: ${(error as Error).message}`, { cause: error });
}
