using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local.Engine.Models;

/// <summary>The notices keep up with what the recipes say about their models' origins (review N5).</summary>
public sealed class ThirdPartyNoticesTests
{
    private static readonly string Notices = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "THIRD-PARTY-NOTICES.md"));

    [Fact]
    public void Every_model_with_an_Apache_2_0_upstream_is_attributed_and_the_licence_text_is_included()
    {
        var apacheModels = ModelRecipes.All.Where(r => r.Description.Contains("Apache-2.0", StringComparison.Ordinal)).ToList();
        var section = Section("## MediaPipe BlazeFace, FaceMesh and Iris");

        Assert.Equal([FaceModel.BlazeFace, FaceModel.FaceMesh, FaceModel.Iris], apacheModels.Select(r => r.Model));
        Assert.All(apacheModels, r => Assert.Contains($"`{FaceModelDescriptions.Of(r.Model).FileName}`", section, StringComparison.Ordinal));
        Assert.Contains("Copyright 2019 The MediaPipe Authors.", section, StringComparison.Ordinal);
        foreach (var licenceLine in new[] { "Version 2.0, January 2004", "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION", "4. Redistribution.", "END OF TERMS AND CONDITIONS" })
        {
            Assert.Contains(licenceLine, section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_npm_package_the_models_come_from_has_its_licence_in_the_notices()
    {
        // A scoped package's name has two path parts (@scope/name), an unscoped one's one.
        var packages = ModelPins.Embedded.Files
            .Select(f => f.RelativePath.Split('/'))
            .Select(parts => string.Join('/', parts.Take(parts[0].StartsWith('@') ? 2 : 1)))
            .Distinct()
            .ToList();

        Assert.Equal(3, packages.Count);
        Assert.All(packages, package => Assert.Contains($"## {package} ", Notices, StringComparison.Ordinal));
        Assert.Equal(packages.Count, Notices.Split("Permission is hereby granted, free of charge, to any person obtaining a copy").Length - 1); // the MIT text of each package (the Boost licence says "person or organization")
    }

    private static string Section(string heading)
    {
        var start = Notices.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"THIRD-PARTY-NOTICES.md has no '{heading}' section");
        var end = Notices.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? Notices[start..] : Notices[start..end];
    }
}
