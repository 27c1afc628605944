namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>The I/O contract of every converted model (docs/engine.md explains each in more detail).</summary>
public static class FaceModelDescriptions
{
    public static IReadOnlyList<FaceModelDescription> All { get; } =
    [
        new(FaceModel.BlazeFace, "blazeface.onnx", "[1,256,256,3]",
            "RGB 0..255 of the whole image letterboxed to 256×256; the graph maps it to x/127.5−1",
            [
                new("boxes", "[1,896,16]", "per anchor (16×16×2 then 8×8×6, anchor order): dx, dy, w, h, then (x,y) of right eye, left eye, nose, mouth, right ear, left ear; 256-px units, x/y relative to the anchor centre"),
                new("logits", "[1,896,1]", "face score before sigmoid, same anchor order"),
            ],
            "face detector"),
        new(FaceModel.FaceMesh, "facemesh.onnx", "[batch,192,192,3]",
            "RGB 0..255 of a face crop (BlazeFace box enlarged), the graph maps it to x/255",
            [
                new("mesh", "[batch,1404]", "468 landmarks × (x, y, z) in input pixels (0..192); z relative depth"),
                new("faceflag", "[batch,1]", "face presence, already a probability (sigmoid inside)"),
                new("contours", "[batch,266]", "133 × (x, y) contour points (lips, eyes, brows) in input pixels"),
            ],
            "468-point face mesh"),
        new(FaceModel.Iris, "iris.onnx", "[batch,64,64,3]",
            "RGB 0..255 of an eye crop (left eyes mirrored as human does), the graph maps it to x/255",
            [new("landmarks", "[batch,1,1,228]", "71 eye/brow contour points then 5 iris points, each (x, y, z) in input pixels (0..64)")],
            "eye and iris landmarks"),
        new(FaceModel.DlibResNet, "dlib_resnet.onnx", "[batch,150,150,3]",
            "RGB 0..255 of a 150×150 face chip; the graph subtracts mean RGB (122.782, 117.001, 104.298) and divides by 255 as face-api does",
            [new("embedding", "[batch,128]", "face descriptor, not normalised: L2-normalise before cosine; dlib's own threshold is Euclidean 0.6")],
            "dlib face recognition ResNet (face-api weights)"),
        new(FaceModel.FaceLandmark68, "landmark68.onnx", "[batch,112,112,3]",
            "RGB 0..255 of a square face crop (face-api pads to square, then resizes to 112); the graph subtracts mean RGB and divides by 255",
            [new("landmarks", "[batch,136]", "68 iBUG points (x0, y0, x1, y1, ...) as fractions of the square crop's side (0..1)")],
            "68-point landmarks (face-api FaceLandmark68Net)"),
        new(FaceModel.FaceRes, "faceres.onnx", "[batch,224,224,3]",
            "0..255 of a face crop, fed as-is; BGR order measured better than RGB (ENGINE-NOTES), though human feeds RGB",
            [
                new("embedding", "[batch,1024]", "face descriptor (global pooling), not normalised"),
                new("gender", "[batch,1]", "probability of 'female' as human reads it (sigmoid)"),
                new("age", "[batch,100]", "softmax over ages 0..99"),
            ],
            "HSE faceres embedding with age and gender"),
        new(FaceModel.AntiSpoof, "antispoof.onnx", "[batch,128,128,3]",
            "RGB 0..255 of the face crop resized to 128×128, the graph maps it to x/255",
            [new("score", "[batch,1]", "human's 'real' score (sigmoid); higher means a real face rather than a photo or screen")],
            "anti-spoofing classifier"),
        new(FaceModel.Liveness, "liveness.onnx", "[batch,32,32,3]",
            "RGB 0..255 of the face crop resized to 32×32, the graph maps it to x/255",
            [new("scores", "[batch,2]", "softmax; human reports element 0 as its 'live' score")],
            "liveness classifier"),
        new(FaceModel.MobileFaceNet, "mobilefacenet.onnx", "[batch,112,112,3]",
            "RGB 0..255 of a 112×112 chip aligned on ArcFace's 5 reference points; the graph reorders to B,G,R and maps x to (x − 127)/128",
            [new("output", "[batch,512]", "face embedding, not normalised: L2-normalise before cosine")],
            "MobileFaceNet recogniser (Faceplugin)"),
        new(FaceModel.FacepluginLandmark68, "landmark68_faceplugin.onnx", "[batch,64,64,3]",
            "RGB 0..255 of a square face crop resized to 64×64; the graph turns it to grey (0.299 R + 0.587 G + 0.114 B) and divides by 256",
            [new("output", "[batch,136]", "68 iBUG points (x0, y0, x1, y1, ...) as fractions of the crop's side (0..1)")],
            "68-point landmarks (Faceplugin)"),
        new(FaceModel.MiniFasNet, "minifasnet.onnx", "[1,128,128,3]",
            "RGB 0..255 of the face box squared, × 2.7 and kept inside the image, resized to 128×128; the graph reorders to B,G,R",
            [new("output", "[1,3]", "class logits; softmax element 0 is 'real face' (measured, docs/liveness.md), 1 print or screen, 2 unused on pad-dev")],
            "passive liveness (Faceplugin MiniFASNetV2-SE)"),
    ];

    public static FaceModelDescription Of(FaceModel model) => All.Single(d => d.Model == model);
}
