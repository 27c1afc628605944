using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Faces;

/// <summary>
/// Which face in a picture is the person, the same at every door (sign-in, sign-up, import, the S3-upload function and
/// <c>evaluate --face largest</c>): the largest face is the person; any other face clearly smaller than it (box width under
/// <see cref="MaxBackgroundWidthRatio"/> of the largest's) is somebody in the background and is ignored; a second face of
/// comparable size is a second person next to the first, and then nobody can tell whose login this is.
/// </summary>
/// <remarks>
/// What a webcam in an office or a café sees: a colleague walking by far behind is a small face, a friend leaning in is not.
/// The ratio was measured on lfw-dev's photos that hold several faces (docs/engine.md, "The dominant-face rule").
/// </remarks>
public sealed class DominantFaceRule
{
    /// <summary>The measured boundary between a background face and a second person beside the first (docs/engine.md).</summary>
    public const float DefaultMaxBackgroundWidthRatio = 0.6f;

    public DominantFaceRule(float maxBackgroundWidthRatio = DefaultMaxBackgroundWidthRatio)
    {
        if (maxBackgroundWidthRatio is <= 0f or > 1f || float.IsNaN(maxBackgroundWidthRatio))
        {
            throw new ArgumentOutOfRangeException(nameof(maxBackgroundWidthRatio), maxBackgroundWidthRatio, "The ratio must be above 0 and at most 1.");
        }

        MaxBackgroundWidthRatio = maxBackgroundWidthRatio;
    }

    public static DominantFaceRule Default { get; } = new();

    /// <summary>A face narrower than this share of the largest face's width is ignored as background.</summary>
    public float MaxBackgroundWidthRatio { get; }

    /// <summary>Judges the faces of one picture, in any order, by their boxes (ratios of the image, or pixels: only ratios between boxes count).</summary>
    public FaceVerdict Judge(IReadOnlyList<BoundingBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        if (boxes.Count == 0)
        {
            return FaceVerdict.NoFace;
        }

        var person = 0;
        for (var i = 1; i < boxes.Count; i++)
        {
            if (boxes[i].Width * boxes[i].Height > boxes[person].Width * boxes[person].Height)
            {
                person = i;
            }
        }

        var widest = boxes[person].Width;
        var background = 0;
        for (var i = 0; i < boxes.Count; i++)
        {
            if (i == person)
            {
                continue;
            }

            if (boxes[i].Width >= MaxBackgroundWidthRatio * widest)
            {
                return new FaceVerdict(FaceVerdictKind.SeveralPeople, person, background);
            }

            background++;
        }

        return new FaceVerdict(FaceVerdictKind.OnePerson, person, background);
    }

    public FaceVerdict Judge(IReadOnlyList<FaceDetail> faces)
    {
        ArgumentNullException.ThrowIfNull(faces);
        return Judge(faces.Select(f => f.Box).ToList());
    }
}

public enum FaceVerdictKind
{
    NoFace,

    /// <summary>One face is the person; <see cref="FaceVerdict.BackgroundFaces"/> others were small enough to ignore.</summary>
    OnePerson,

    /// <summary>Another face is about as large as the largest: two people in view.</summary>
    SeveralPeople,
}

/// <param name="Person">Index of the person's face in the list judged (the largest); −1 without a face.</param>
/// <param name="BackgroundFaces">Faces ignored as background.</param>
public readonly record struct FaceVerdict(FaceVerdictKind Kind, int Person, int BackgroundFaces)
{
    public static FaceVerdict NoFace { get; } = new(FaceVerdictKind.NoFace, -1, 0);
}

/// <summary>The <c>FaceLogin:FaceRule</c> section: the one setting of <see cref="DominantFaceRule"/>.</summary>
public sealed class FaceRuleOptions
{
    public const string SectionName = "FaceLogin:FaceRule";

    /// <summary>See <see cref="DominantFaceRule.MaxBackgroundWidthRatio"/>.</summary>
    [Range(0.05, 1.0)]
    public float MaxBackgroundWidthRatio { get; set; } = DominantFaceRule.DefaultMaxBackgroundWidthRatio;
}
