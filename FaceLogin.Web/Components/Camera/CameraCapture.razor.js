// The camera: a live preview in a <video>, a snapshot frozen on a <canvas>, the snapshot as a JPEG Blob.
// Used by CameraCapture.razor on the sign-up page (through JsCameraCapture) and by Login.razor.js on the sign-in page.
// Status names match the CameraStatus enum in ICameraCapture.cs, plus 'Stopped' for a start that was stopped before it finished.

// A face needs no more: bigger photos cost bytes and time, not accuracy.
const maxSide = 960;
const jpegQuality = 0.9;
const firstFrameTimeoutMs = 5000;

// How many times each video element was stopped. A start remembers the count; if a stop came while it waited for the camera
// (the person left the page during the permission prompt), the start turns off the stream it gets instead of showing it:
// otherwise that stream would live on in a detached element, its light on, with nothing left to stop it.
const stops = new WeakMap();

export async function startCamera(video) {
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return 'Unsupported';
  }

  stopCamera(video);
  const startedAfter = stops.get(video);
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
    });
  } catch (error) {
    return statusOf(error);
  }

  if (stops.get(video) !== startedAfter) {
    stream.getTracks().forEach(track => track.stop());
    return 'Stopped';
  }

  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  try {
    await video.play();
  } catch {
    // A muted camera stream may always play; if play() is interrupted the frames still arrive.
  }

  return (await firstFrame(video)) ? 'Live' : 'Failed';
}

export async function takePhoto(video, canvas) {
  if (!video.videoWidth || !video.videoHeight) {
    throw new Error('The camera has not delivered a picture yet.');
  }

  const scale = Math.min(1, maxSide / Math.max(video.videoWidth, video.videoHeight));
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise(resolve => canvas.toBlob(resolve, 'image/jpeg', jpegQuality));
  // Blazor cannot stream an empty blob (it throws), and an empty photo is a bug worth naming.
  if (!blob || blob.size === 0) {
    throw new Error('The camera picture could not be encoded.');
  }

  return blob;
}

export function stopCamera(video) {
  if (!video) {
    return;
  }

  stops.set(video, (stops.get(video) || 0) + 1);
  const stream = video.srcObject;
  if (stream) {
    stream.getTracks().forEach(track => track.stop());
    video.srcObject = null;
  }
}

function statusOf(error) {
  switch (error && error.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'NoCamera';
    case 'NotReadableError':
    case 'AbortError':
      return 'Busy';
    default:
      return 'Failed';
  }
}

function firstFrame(video) {
  if (video.videoWidth > 0) {
    return Promise.resolve(true);
  }

  return new Promise(resolve => {
    const timer = setTimeout(() => done(false), firstFrameTimeoutMs);
    const onReady = () => { if (video.videoWidth > 0) { done(true); } };
    function done(ready) {
      clearTimeout(timer);
      video.removeEventListener('loadedmetadata', onReady);
      video.removeEventListener('resize', onReady);
      resolve(ready);
    }
    video.addEventListener('loadedmetadata', onReady);
    video.addEventListener('resize', onReady);
  });
}
