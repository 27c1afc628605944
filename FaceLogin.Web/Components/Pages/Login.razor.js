// <face-sign-in>: the static sign-in page's camera. It shows the camera, takes a photo when the button is pressed,
// POSTs it (multipart, with the page's antiforgery token) to the sign-in endpoint and, when the face matched,
// loads the page the endpoint names — a full page load, so the new cookie is in force everywhere.
// A custom element (loaded on every page from App.razor) so it starts however the page arrived, enhanced navigation included.
import { startCamera, takePhoto, stopCamera } from '../Camera/CameraCapture.razor.js';

class FaceSignIn extends HTMLElement {
  connectedCallback() {
    this.video = this.querySelector('video');
    this.canvas = this.querySelector('canvas');
    this.form = this.querySelector('form');
    this.button = this.querySelector('.sign-in-button');
    this.status = this.querySelector('.sign-in-status');
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

  async signIn() {
    this.button.disabled = true;
    this.say('Checking your face…', 'info');
    try {
      const photo = await takePhoto(this.video, this.canvas);
      this.show('Captured');
      const body = new FormData(this.form);
      body.append('image', photo, 'face.jpg');
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
        return;
      }

      this.say(answer.message || 'Sign-in failed. Please try again.', response.status === 429 || response.status === 503 ? 'error' : 'warning');
      this.status.dataset.outcome = answer.status || String(response.status);
    } catch {
      this.say('Sign-in failed: the camera or the connection is not working. Please try again.', 'error');
    }

    this.show('Live');
    this.button.disabled = false;
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
