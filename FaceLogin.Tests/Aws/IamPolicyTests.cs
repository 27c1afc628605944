using System.Text.Json;
using System.Text.RegularExpressions;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Aws;

/// <summary>The policy documents in deploy/ are valid IAM JSON, grant no wildcard actions, and use only documented placeholders.</summary>
public sealed partial class IamPolicyTests
{
    public static TheoryData<string> Policies => new() { "iam-policy.json", "iam-policy-s3-function.json", "iam-policy-provision.json" };

    private static JsonElement Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "deploy", file))).RootElement;

    [Theory]
    [MemberData(nameof(Policies))]
    public void Policies_are_valid_documents_of_named_allow_statements_without_wildcard_actions(string file)
    {
        var policy = Load(file);

        Assert.Equal("2012-10-17", policy.GetProperty("Version").GetString());
        var sids = new HashSet<string>();
        foreach (var statement in policy.GetProperty("Statement").EnumerateArray())
        {
            Assert.True(sids.Add(statement.GetProperty("Sid").GetString()!), "Sids are unique");
            Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
            var actions = statement.GetProperty("Action") is { ValueKind: JsonValueKind.Array } list
                ? list.EnumerateArray().Select(a => a.GetString()!).ToList()
                : [statement.GetProperty("Action").GetString()!];
            Assert.All(actions, action => Assert.Matches("^[a-z0-9]+:[A-Za-z0-9]+$", action));
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Every_placeholder_is_explained_in_the_aws_docs(string file)
    {
        var text = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "deploy", file));
        var docs = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "docs", "aws.md"));

        var placeholders = Placeholder().Matches(text).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(placeholders);
        Assert.All(placeholders, p => Assert.Contains("`" + p + "`", docs, StringComparison.Ordinal));
    }

    [Fact]
    public void The_function_cannot_write_images_or_scan_the_directory()
    {
        var actions = Load("iam-policy-s3-function.json").GetProperty("Statement").EnumerateArray()
            .SelectMany(s => s.GetProperty("Action") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().Select(a => a.GetString()) : [s.GetProperty("Action").GetString()])
            .ToHashSet();

        Assert.DoesNotContain("s3:PutObject", actions);
        Assert.DoesNotContain("dynamodb:Scan", actions);
        Assert.DoesNotContain("dynamodb:CreateTable", actions);
        Assert.Contains("rekognition:IndexFaces", actions);
    }

    [GeneratedRegex(@"\$\{[A-Za-z]+\}")]
    private static partial Regex Placeholder();
}
