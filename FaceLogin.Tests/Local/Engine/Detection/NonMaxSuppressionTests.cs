using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Detection;

namespace FaceLogin.Tests.Local.Engine.Detection;

public sealed class NonMaxSuppressionTests
{
    [Fact]
    public void Iou_of_identical_disjoint_and_half_overlapping_boxes()
    {
        var box = new PixelRect(0, 0, 10, 10);

        Assert.Equal(1f, NonMaxSuppression.IntersectionOverUnion(box, box));
        Assert.Equal(0f, NonMaxSuppression.IntersectionOverUnion(box, new PixelRect(20, 20, 10, 10)));
        Assert.Equal(0f, NonMaxSuppression.IntersectionOverUnion(box, new PixelRect(10, 0, 10, 10)));
        // Overlap 5×10 = 50, union 150.
        Assert.Equal(1 / 3f, NonMaxSuppression.IntersectionOverUnion(box, new PixelRect(5, 0, 10, 10)), 5);
    }

    [Fact]
    public void Plain_keeps_the_best_of_each_cluster_and_separate_faces()
    {
        FaceCandidate[] candidates =
        [
            Candidate(0, 0, 0.8f),
            Candidate(1, 1, 0.95f),
            Candidate(2, 0, 0.9f),
            Candidate(100, 100, 0.85f),
        ];

        var kept = NonMaxSuppression.Plain(candidates, 0.3f, maxFaces: 10);

        Assert.Equal([0.95f, 0.85f], kept.Select(k => k.Score));
        Assert.Equal(new PixelRect(1, 1, 20, 20), kept[0].Box);
    }

    [Fact]
    public void Plain_stops_at_the_maximum_number_of_faces()
    {
        FaceCandidate[] candidates = [Candidate(0, 0, 0.9f), Candidate(100, 0, 0.8f), Candidate(200, 0, 0.95f)];

        var kept = NonMaxSuppression.Plain(candidates, 0.3f, maxFaces: 2);

        Assert.Equal([0.95f, 0.9f], kept.Select(k => k.Score));
    }

    [Fact]
    public void Weighted_averages_a_cluster_by_score_and_keeps_the_best_score()
    {
        // Two boxes 2 px apart with scores 0.9 and 0.6: the average sits 0.8 px from the better one.
        FaceCandidate[] candidates = [Candidate(0, 0, 0.9f), Candidate(2, 0, 0.6f), Candidate(100, 100, 0.8f)];

        var kept = NonMaxSuppression.Weighted(candidates, 0.3f, maxFaces: 10);

        Assert.Equal(2, kept.Count);
        Assert.Equal(0.9f, kept[0].Score);
        Assert.Equal(0.8f, kept[0].Box.X, 4);
        Assert.Equal(20f, kept[0].Box.Width, 4);
        Assert.Equal(0.8f + 5, kept[0].Keypoints[0].X, 4);
        Assert.Equal(new PixelRect(100, 100, 20, 20), kept[1].Box);
    }

    private static FaceCandidate Candidate(float x, float y, float score) =>
        new(new PixelRect(x, y, 20, 20), score, [.. Enumerable.Range(0, 6).Select(k => new FacePoint(x + 5 + k, y + 5))]);
}
