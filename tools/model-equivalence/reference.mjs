// One-off equivalence check of the converted ONNX models against the original TF.js models (see docs/engine.md).
// Usage: node reference.mjs <node_modules with @tensorflow/tfjs@4.22.0, @tensorflow/tfjs-backend-wasm@4.22.0 (face-api's node build requires it; the CPU backend runs), jpeg-js, @vladmandic/human, @vladmandic/face-api> <out dir> <jpeg>...
// Writes <out>/inputs/<model>-<i>.f32 (NHWC RGB 0..255, the ONNX input) and <out>/tfjs/<model>-<i>-<output>.f32 (TF.js results),
// plus <out>/index.json describing both. The C# side (TfjsEquivalenceCheck) runs the ONNX models on the same inputs.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [modules, out, ...images] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), 'x.js'));
const tf = require('@tensorflow/tfjs');
const jpeg = require('jpeg-js');
await tf.setBackend('cpu');
// The CommonJS build shares the CJS @tensorflow/tfjs loaded above (the ESM builds do not resolve in Node).
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const human = path.resolve(modules, '@vladmandic/human/models');
const faceApiModels = path.resolve(modules, '@vladmandic/face-api/model');

const loadGraph = async (name) => {
  const json = JSON.parse(fs.readFileSync(path.join(human, `${name}.json`)));
  const buffers = json.weightsManifest.flatMap((g) => g.paths).map((p) => fs.readFileSync(path.join(human, p)));
  const data = Buffer.concat(buffers);
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), format: json.format,
  }));
};

const loadFaceApi = (net, name) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(faceApiModels, `${name}-weights_manifest.json`)));
  const map = {};
  for (const group of manifest) {
    const data = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(faceApiModels, p))));
    Object.assign(map, tf.io.decodeWeights(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), group.weights));
  }
  net.loadFromWeightMap(map);
  return net;
};

// How each model is fed in TF.js (human's and face-api's own preprocessing) and which tensors are compared.
const graphs = {
  blazeface: { size: 256, scale: (x) => tf.sub(tf.div(x, 127.5), 1), outputs: { boxes: ['Identity_2', 'Identity_3'], logits: ['Identity', 'Identity_1'] } },
  facemesh: { size: 192, scale: (x) => tf.div(x, 255), outputs: { mesh: ['Identity_2'], faceflag: ['Identity_1'], contours: ['Identity'] } },
  iris: { size: 64, scale: (x) => tf.div(x, 255), outputs: { landmarks: ['Identity'] } },
  faceres: { size: 224, scale: (x) => x, outputs: { embedding: ['global_pooling/Mean'], gender: ['gender_pred/Sigmoid'], age: ['age_pred/Softmax'] } },
  antispoof: { size: 128, scale: (x) => tf.div(x, 255), outputs: { score: ['Identity'] } },
  liveness: { size: 32, scale: (x) => tf.div(x, 255), outputs: { scores: ['Identity'] } },
};

const decode = (file) => {
  const { width, height, data } = jpeg.decode(fs.readFileSync(file), { useTArray: true });
  const rgba = tf.tensor3d(data, [height, width, 4], 'int32');
  return tf.cast(tf.slice(rgba, [0, 0, 0], [-1, -1, 3]), 'float32');
};

const write = (file, tensor) => fs.writeFileSync(file, Buffer.from(new Float32Array(tensor.dataSync()).buffer));
fs.mkdirSync(path.join(out, 'inputs'), { recursive: true });
fs.mkdirSync(path.join(out, 'tfjs'), { recursive: true });
const index = { images, models: {} };

const inputFor = (image, size) => tf.round(tf.image.resizeBilinear(image, [size, size])).expandDims(0);
const decoded = images.map(decode);

for (const [name, spec] of Object.entries(graphs)) {
  const model = await loadGraph(name);
  index.models[name] = { size: spec.size, outputs: Object.keys(spec.outputs) };
  decoded.forEach((image, i) => {
    const input = inputFor(image, spec.size);
    write(path.join(out, 'inputs', `${name}-${i}.f32`), input);
    const names = Object.values(spec.outputs).flat();
    const results = [model.execute(spec.scale(input), names)].flat();
    let k = 0;
    for (const [output, parts] of Object.entries(spec.outputs)) {
      const tensors = results.slice(k, k + parts.length);
      k += parts.length;
      write(path.join(out, 'tfjs', `${name}-${i}-${output}.f32`), tensors.length > 1 ? tf.concat(tensors, 1) : tensors[0]);
    }
  });
}

const faceApiNets = {
  dlib_resnet: { size: 150, net: loadFaceApi(new faceapi.FaceRecognitionNet(), 'face_recognition_model'), output: 'embedding', run: (net, x) => net.forwardInput(x) },
  landmark68: { size: 112, net: loadFaceApi(new faceapi.FaceLandmark68Net(), 'face_landmark_68_model'), output: 'landmarks', run: (net, x) => net.runNet(x) },
};
for (const [name, spec] of Object.entries(faceApiNets)) {
  index.models[name] = { size: spec.size, outputs: [spec.output] };
  for (let i = 0; i < decoded.length; i++) {
    const input = inputFor(decoded[i], spec.size);
    write(path.join(out, 'inputs', `${name}-${i}.f32`), input);
    const netInput = await faceapi.toNetInput(input);
    write(path.join(out, 'tfjs', `${name}-${i}-${spec.output}.f32`), spec.run(spec.net, netInput));
  }
}

fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify(index, null, 2));
console.log(`wrote TF.js references (backend ${tf.getBackend()}) for ${Object.keys(index.models).length} models × ${images.length} images to ${out}`);
