// Camera and microphone: permission, the device lists, and errors a person can act on.

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export type MediaAccessProblem = 'permission-denied' | 'no-device' | 'in-use' | 'insecure-page' | 'unsupported' | 'other';

export class MediaAccessError extends Error {
  readonly problem: MediaAccessProblem;

  constructor(problem: MediaAccessProblem, message: string) {
    super(message);
    this.name = 'MediaAccessError';
    this.problem = problem;
  }
}

/** getUserMedia's DOMExceptions, explained. */
export function describeMediaError(error: unknown): MediaAccessError {
  if (error instanceof MediaAccessError) return error;
  const name = (error as { name?: string } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new MediaAccessError(
        'permission-denied',
        'Camera and microphone access was denied. Allow both for this site in your browser (the camera icon in the address bar), then reload the page.',
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MediaAccessError('no-device', 'No camera or microphone was found. Connect a camera and a microphone, then press Try again.');
    case 'NotReadableError':
    case 'AbortError':
      return new MediaAccessError('in-use', 'The camera or microphone could not be started. Another application may be using it; close it and try again.');
    default:
      return new MediaAccessError('other', `The camera or microphone could not be opened: ${(error as Error)?.message ?? String(error)}`);
  }
}

function mediaDevices(): MediaDevices {
  if (!window.isSecureContext) throw new MediaAccessError('insecure-page', 'Camera access needs a secure page: open this site over https (or on localhost).');
  if (!navigator.mediaDevices?.getUserMedia) throw new MediaAccessError('unsupported', 'This browser cannot use a camera from a web page. Try a current Chrome, Edge, Firefox or Safari.');
  return navigator.mediaDevices;
}

/** Opens the chosen (or default) camera and microphone together; asks for permission the first time. */
export async function openMedia({ cameraId, micId }: { cameraId?: string; micId?: string } = {}): Promise<MediaStream> {
  const devices = mediaDevices();
  try {
    return await devices.getUserMedia({
      audio: { deviceId: micId ? { exact: micId } : undefined, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      video: { deviceId: cameraId ? { exact: cameraId } : undefined, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
    });
  } catch (error) {
    throw describeMediaError(error);
  }
}

/** Cameras and microphones; their labels are only known once permission was given. */
export async function listDevices(): Promise<{ cameras: DeviceOption[]; mics: DeviceOption[] }> {
  const all = await mediaDevices().enumerateDevices();
  const options = (kind: MediaDeviceKind, noun: string) =>
    all.filter((d) => d.kind === kind && d.deviceId !== '').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${noun} ${i + 1}` }));
  return { cameras: options('videoinput', 'Camera'), mics: options('audioinput', 'Microphone') };
}

export function stopMedia(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
