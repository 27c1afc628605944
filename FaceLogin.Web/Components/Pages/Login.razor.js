// <face-sign-in>: the static sign-in page's camera. It shows the camera and, when the button is pressed, either
// - (data-liveness Active or Both, the default) asks the server for a head-movement challenge, shows its steps one at a
//   time while capturing a burst of frames, and POSTs the burst with the challenge's token; or
// - (Off or Passive) takes one photo and POSTs it;
// in both cases multipart, with the page's antiforgery token, to the sign-in endpoint. When the face matched, it loads the
// page the endpoint names — a full page load, so the new cookie is in force everywhere.
// A custom element (loaded on every page from App.razor) so it starts however the page arrived, enhanced navigation included.
import { startCamera, takePhoto, captureBurst, stopCamera } from '../Camera/CameraCapture.razor.js';

class FaceSignIn extends HTMLElement {
  connectedCallback() {
    this.video = this.querySelector('video');
    this.canvas = this.querySelector('canvas');
    this.form = this.querySelector('form');
    this.button = this.querySelector('.sign-in-button');
    this.status = this.querySelector('.sign-in-status');
    this.prompt = this.querySelector('[data-role=prompt]');
    this.prompts = JSON.parse(this.dataset.prompts || '{}');
    this.cameraMessages = JSON.parse(this.dataset.cameraMessages || '{}');
    this.button.addEventListener('click', () => this.signIn());
    this.querySelector('.camera-retry').addEventListener('click', () => this.start());
    this.start();
  }

  disconnectedCallback() {
    stopCamera(this.video);
  }

  async start() {
    this.show('Starting');
    const status = await startCamera(this.video);
    if (status === 'Stopped') {
      return; // Stopped while starting: the element left the page, or a newer start took over.
    }

    if (status === 'Live') {
      this.show('Live');
    } else {
      this.querySelector('.camera-message').textContent = this.cameraMessages[status] || this.cameraMessages.Failed;
      this.show('Unavailable');
    }
  }

  get asksForChallenge() {
    return this.dataset.liveness === 'Active' || this.dataset.liveness === 'Both';
  }

  async signIn() {
    this.button.disabled = true;
    try {
      const body = this.asksForChallenge ? await this.burstForm() : await this.photoForm();
      if (body) {
        this.say('Checking your face…', 'info');
        if (await this.post(body)) {
          return;
        }
      }
    } catch {
      this.say('Sign-in failed: the camera or the connection is not working. Please try again.', 'error');
    }

    this.prompt.hidden = true;
    this.show('Live');
    this.button.disabled = false;
  }

  async photoForm() {
    this.say('Checking your face…', 'info');
    const photo = await takePhoto(this.video, this.canvas);
    this.show('Captured');
    const body = new FormData(this.form);
    body.append('image', photo, 'face.jpg');
    return body;
  }

  // A challenge from the server, then the burst answering it; null (with the server's refusal shown) when no challenge came.
  async burstForm() {
    this.say('Getting ready…', 'info');
    const response = await fetch(this.dataset.challengeEndpoint, {
      method: 'POST',
      body: new FormData(this.form),
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    const challenge = await response.json().catch(() => ({}));
    if (!response.ok || !challenge.token) {
      this.refused(response, challenge);
      return null;
    }

    this.say('Follow the arrows on the picture.', 'info');
    const burst = await captureBurst(this.video, this.canvas, { ...challenge.burst, steps: challenge.steps, prompts: this.prompts }, this.prompt);
    this.show('Captured');
    const body = new FormData(this.form);
    body.append('challenge', challenge.token);
    burst.frames.forEach((frame, i) => body.append('frames', frame, `frame-${i}.jpg`));
    body.append('frameTimes', burst.frameTimes.join(','));
    body.append('stepTimes', burst.stepTimes.join(','));
    return body;
  }

  // POSTs the sign-in; true when it signed in (the page is being replaced), false when refused (the refusal is shown).
  async post(body) {
    const response = await fetch(this.dataset.endpoint, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok && answer.redirect) {
      this.say('Welcome back! Signing you in…', 'success');
      stopCamera(this.video);
      window.location.assign(answer.redirect);
      return true;
    }

    this.refused(response, answer);
    return false;
  }

  refused(response, answer) {
    this.say(answer.message || 'Sign-in failed. Please try again.', response.status === 429 || response.status === 503 ? 'error' : 'warning');
    this.status.dataset.outcome = answer.status || String(response.status);
  }

  show(state) {
    this.querySelector('.camera').dataset.state = state;
    this.video.classList.toggle('camera-hidden', state !== 'Live');
    this.canvas.classList.toggle('camera-hidden', state !== 'Captured');
    this.querySelector('[data-role=starting]').classList.toggle('camera-hidden', state !== 'Starting');
    this.querySelector('[data-role=problem]').classList.toggle('camera-hidden', state !== 'Unavailable');
    this.button.disabled = state !== 'Live';
  }

  say(text, kind) {
    this.status.textContent = text;
    this.status.className = 'sign-in-status sign-in-status-' + kind;
  }
}

if (!customElements.get('face-sign-in')) {
  customElements.define('face-sign-in', FaceSignIn);
}
