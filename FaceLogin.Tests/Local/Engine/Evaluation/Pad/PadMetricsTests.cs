using FaceLogin.Domain.Local.Engine.Evaluation.Pad;

namespace FaceLogin.Tests.Local.Engine.Evaluation.Pad;

/// <summary>APCER, BPCER and ACER (ISO/IEC 30107-3) and each check's part, on decisions made by hand.</summary>
public sealed class PadMetricsTests
{
    [Fact]
    public void Apcer_is_per_species_bpcer_over_bona_fide_and_acer_their_mean_with_the_worst_species_for_the_mode()
    {
        PadOutcome[] outcomes =
        [
            new("bona_fide", true, []), new("bona_fide", true, []), new("bona_fide", true, []),
            new("bona_fide", false, ["DifferentPeople"]),
            new("print", true, []), new("print", false, ["MovementNotFollowed", "FlatPicture"]), new("print", false, ["FlatPicture"]),
            new("screen_video", false, ["PassiveAttack"]), new("screen_video", false, ["PassiveAttack"]),
        ];

        var mode = PadMetrics.Summarise("both", outcomes);

        Assert.Equal(0.25, mode.BonaFide!.Bpcer!.Value, 9);
        Assert.Equal((4, 1), (mode.BonaFide.Presentations, mode.BonaFide.Refused));
        var print = mode.Species.Single(s => s.Species == "print");
        var screen = mode.Species.Single(s => s.Species == "screen_video");
        Assert.Equal(["print", "screen_video"], mode.Species.Select(s => s.Species));
        Assert.Equal((3, 1), (print.Presentations, print.Accepted));
        Assert.Equal(1 / 3.0, print.Apcer!.Value, 9);
        Assert.Equal(((1 / 3.0) + 0.25) / 2, print.Acer!.Value, 9);
        Assert.Equal(0.0, screen.Apcer!.Value, 9);
        Assert.Equal(0.125, screen.Acer!.Value, 9);
        Assert.Equal(1 / 3.0, mode.MaxApcer!.Value, 9);
        Assert.Equal(((1 / 3.0) + 0.25) / 2, mode.Acer!.Value, 9);
    }

    [Fact]
    public void Every_refusing_check_is_counted_and_a_check_that_alone_refused_is_counted_apart()
    {
        PadOutcome[] outcomes =
        [
            new("print", false, ["MovementNotFollowed", "FlatPicture"]),
            new("print", false, ["FlatPicture"]),
            new("print", false, ["FlatPicture", "FlatPicture"]),
            new("print", true, []),
        ];

        var print = Assert.Single(PadMetrics.Summarise("both", outcomes).Species);

        Assert.Equal(new Dictionary<string, int> { ["FlatPicture"] = 3, ["MovementNotFollowed"] = 1 }, print.RefusedBy);
        Assert.Equal(new Dictionary<string, int> { ["FlatPicture"] = 2 }, print.RefusedOnlyBy);
    }

    [Fact]
    public void Without_bona_fide_presentations_bpcer_and_acer_are_null_not_zero()
    {
        var mode = PadMetrics.Summarise("both", [new PadOutcome("print", false, ["FlatPicture"])]);

        Assert.Null(mode.BonaFide);
        Assert.Null(mode.Acer);
        Assert.Null(Assert.Single(mode.Species).Acer);
        Assert.Equal(0.0, mode.MaxApcer);
    }

    [Fact]
    public void Mode_active_is_mode_both_without_the_passive_vote_and_a_bona_fide_still_counts_only_as_a_photo()
    {
        PadPresentationResult Burst(string label, bool live, params string[] failed) => new(
            "x", label, "clip", "TurnLeft@0.8,TurnRight@2", 0, 14,
            new PadBurstJudgement(live, PadMetrics.WithoutPassive(failed).Count == 0, failed, [], [], null, null, null),
            new PadPhotoJudgement(true, null, 0.9f), 10);
        PadPresentationResult[] results =
        [
            Burst("screen_video", false, "PassiveAttack"),
            Burst("screen_video", false, "PassiveAttack", "MovementNotFollowed"),
            Burst("bona_fide", true),
            new("still.jpg", "bona_fide", "still", "", 0, 1, null, new PadPhotoJudgement(false, "PassiveAttack", 0.05f), null),
        ];

        var modes = PadMetrics.Modes(results);

        var both = modes.Single(m => m.Mode == "both");
        var active = modes.Single(m => m.Mode == "active");
        var passive = modes.Single(m => m.Mode == "passive");
        Assert.Equal(0.0, both.Species.Single().Apcer);
        Assert.Equal(0.5, active.Species.Single().Apcer);
        Assert.Equal(new Dictionary<string, int> { ["MovementNotFollowed"] = 1 }, active.Species.Single().RefusedBy);
        Assert.Equal(1, both.BonaFide!.Presentations); // the bona fide still is no burst
        Assert.Equal((2, 1), (passive.BonaFide!.Presentations, passive.BonaFide.Refused));
        Assert.Equal(1.0, passive.Species.Single().Apcer);
    }
}
