// The camera: a live preview in a <video>, a snapshot frozen on a <canvas>, the snapshot as a JPEG Blob, and a burst of
// small JPEGs answering a head-movement challenge.
// Used by CameraCapture.razor on the sign-up page (through JsCameraCapture) and by Login.razor.js on the sign-in page.
// Status names match the CameraStatus enum in ICameraCapture.cs, plus 'Stopped' for a start that was stopped before it finished.

// A face needs no more: bigger photos cost bytes and time, not accuracy.
const maxSide = 960;
const jpegQuality = 0.9;
// A burst's frames are small and many: enough for landmarks and a face search at a fifth of the bytes.
const burstJpegQuality = 0.8;
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
  return encode(canvas, jpegQuality);
}

// A burst answering a head-movement challenge (docs/liveness.md). plan: { steps: ['TurnLeft', ...], lookMs, stepMs,
// frameIntervalMs, frameMaxSide, prompts: { Look: { arrow, text }, TurnLeft: {...}, ... } } — the timing is the server's.
// "Look at the camera" for lookMs, then each step's arrow and words for stepMs, in the prompt element (a live region), while
// a frame is grabbed every frameIntervalMs, shrunk to frameMaxSide. Every time is performance.now() after the burst began:
// each frame's when it was drawn from the video, each step's when it was put on the screen (the judge checks that each
// turn came after its arrow). The frame in the middle of the look phase is left on the snapshot canvas: the still the person sees.
// Returns { frames: [Blob], frameTimes: [ms], stepTimes: [ms] }.
export async function captureBurst(video, snapshot, plan, prompt) {
  if (!video.videoWidth || !video.videoHeight) {
    throw new Error('The camera has not delivered a picture yet.');
  }

  const frames = [];
  const frameTimes = [];
  const stepTimes = [];
  const end = plan.lookMs + plan.steps.length * plan.stepMs;
  let nextFrameAt = 0;
  let nextStep = 0;
  let still = null;
  showPrompt(prompt, 'Look', plan.prompts.Look);
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  for (;;) {
    const now = elapsed();
    const nextStepAt = plan.lookMs + nextStep * plan.stepMs;
    if (nextStep < plan.steps.length && now >= nextStepAt) {
      const step = plan.steps[nextStep];
      showPrompt(prompt, step, plan.prompts[step]);
      stepTimes.push(Math.max(1, Math.round(elapsed())));
      nextStep++;
    } else if (now >= end) {
      break;
    } else if (now >= nextFrameAt) {
      frameTimes.push(Math.round(elapsed()));
      const canvas = drawFrame(video, plan.frameMaxSide);
      if (nextFrameAt <= plan.lookMs / 2) {
        still = canvas;
      }

      // Encoded while the burst goes on, so that encoding does not delay the next frame.
      frames.push(encode(canvas, burstJpegQuality));
      // A page that fell behind (a busy machine) does not catch up with frames in a row: they would show the same instant.
      nextFrameAt = Math.max(nextFrameAt + plan.frameIntervalMs, now + plan.frameIntervalMs / 2);
    } else {
      const wait = Math.min(nextFrameAt, nextStep < plan.steps.length ? nextStepAt : end, end) - now;
      await new Promise(resolve => setTimeout(resolve, Math.max(0, wait)));
    }
  }

  prompt.hidden = true;
  if (still) {
    snapshot.width = still.width;
    snapshot.height = still.height;
    snapshot.getContext('2d').drawImage(still, 0, 0);
  }

  return { frames: await Promise.all(frames), frameTimes, stepTimes };
}

// The interactive sign-up page cannot take an array of blobs through Blazor: it takes the burst's frames as one stream,
// the frames one after another, and their sizes to cut it apart (captureBurstForCircuit, then burstFrames).
const bursts = new WeakMap();

export async function captureBurstForCircuit(video, snapshot, plan, prompt) {
  const burst = await captureBurst(video, snapshot, plan, prompt);
  bursts.set(video, burst.frames);
  return { frameTimes: burst.frameTimes, stepTimes: burst.stepTimes, frameSizes: burst.frames.map(f => f.size) };
}

export function burstFrames(video) {
  const frames = bursts.get(video);
  bursts.delete(video);
  if (!frames || frames.length === 0) {
    throw new Error('No burst was captured.');
  }

  return new Blob(frames, { type: 'application/octet-stream' });
}

function drawFrame(video, maxSide) {
  const scale = Math.min(1, maxSide / Math.max(video.videoWidth, video.videoHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
  return canvas;
}

async function encode(canvas, quality) {
  const blob = await new Promise(resolve => canvas.toBlob(resolve, 'image/jpeg', quality));
  // Blazor cannot stream an empty blob (it throws), and an empty photo is a bug worth naming.
  if (!blob || blob.size === 0) {
    throw new Error('The camera picture could not be encoded.');
  }

  return blob;
}

function showPrompt(prompt, step, words) {
  prompt.dataset.step = step;
  prompt.querySelector('.liveness-arrow').textContent = (words && words.arrow) || '';
  prompt.querySelector('.liveness-text').textContent = (words && words.text) || '';
  prompt.hidden = false;
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
