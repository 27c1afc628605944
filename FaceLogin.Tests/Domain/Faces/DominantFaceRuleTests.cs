using FaceLogin.Domain.Faces;

namespace FaceLogin.Tests.Domain.Faces;

public sealed class DominantFaceRuleTests
{
    private static readonly DominantFaceRule Rule = DominantFaceRule.Default;

    [Fact]
    public void No_face_is_no_person()
    {
        Assert.Equal(FaceVerdict.NoFace, Rule.Judge(Array.Empty<BoundingBox>()));
    }

    [Fact]
    public void One_face_is_the_person()
    {
        Assert.Equal(new FaceVerdict(FaceVerdictKind.OnePerson, 0, 0), Rule.Judge([Box(0.4f)]));
    }

    [Fact]
    public void Faces_clearly_smaller_than_the_largest_are_background_whatever_the_order()
    {
        var verdict = Rule.Judge([Box(0.1f), Box(0.4f), Box(0.23f)]);

        Assert.Equal(new FaceVerdict(FaceVerdictKind.OnePerson, Person: 1, BackgroundFaces: 2), verdict);
    }

    [Theory]
    [InlineData(0.59f, FaceVerdictKind.OnePerson)]
    [InlineData(0.60f, FaceVerdictKind.SeveralPeople)]
    [InlineData(1.00f, FaceVerdictKind.SeveralPeople)]
    public void A_second_face_at_or_above_the_ratio_is_a_second_person(float ratio, FaceVerdictKind expected)
    {
        Assert.Equal(expected, Rule.Judge([Box(0.5f), Box(0.5f * ratio)]).Kind);
    }

    [Fact]
    public void The_person_is_the_largest_by_area_and_the_ratio_is_measured_on_widths()
    {
        // A tall narrow box has the larger area; the wide flat one is 0.7 of its width: two people.
        var verdict = Rule.Judge([new BoundingBox(0, 0, 0.3f, 0.1f), new BoundingBox(0.5f, 0, 0.43f, 0.6f)]);

        Assert.Equal(FaceVerdictKind.SeveralPeople, verdict.Kind);
        Assert.Equal(1, verdict.Person);
    }

    [Fact]
    public void The_ratio_is_configurable_within_range()
    {
        Assert.Equal(FaceVerdictKind.SeveralPeople, new DominantFaceRule(0.3f).Judge([Box(0.5f), Box(0.2f)]).Kind);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DominantFaceRule(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DominantFaceRule(1.5f));
    }

    private static BoundingBox Box(float side) => new(0.1f, 0.1f, side, side);
}
