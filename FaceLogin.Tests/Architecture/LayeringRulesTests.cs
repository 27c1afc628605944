using System.Reflection;
using FaceLogin.Domain.Authentication;
using NetArchTest.Rules;

namespace FaceLogin.Tests.Architecture;

/// <summary>
/// The layering the code follows (docs/architecture.md), held by the build: the use cases and the face model speak only to
/// ports, and each SDK is reached from its adapter folder alone. Each rule names the types that break it.
/// </summary>
/// <remarks>
/// Issue 11 asks for more rules than hold today; these are the ones that do. Still to come, with the changes that make them
/// hold: Administration (its thumbnail renderer uses SkiaSharp), Ports (<c>StorageFull</c> recognises SQLite's "full"),
/// "only Local/ references ONNX Runtime, SkiaSharp and SQLite" (the Rekognition adapter reads image sizes with SkiaSharp), and
/// "FaceLogin.Web reaches adapters only through DependencyInjection" (the operator's CLI verbs drive the local engine).
/// </remarks>
public sealed class LayeringRulesTests
{
    /// <summary>Namespaces of the SDKs and frameworks that belong in adapters or the web project, never in the core.</summary>
    internal static readonly string[] AdapterDependencies =
    [
        "Amazon",
        "Microsoft.AspNetCore",
        "Microsoft.JSInterop",
        "MudBlazor",
        "Microsoft.ML.OnnxRuntime",
        "SkiaSharp",
        "Microsoft.Data.Sqlite",
    ];

    private static readonly Assembly Domain = typeof(AuthenticationService).Assembly;

    [Theory]
    [InlineData("FaceLogin.Domain.Registration")]
    [InlineData("FaceLogin.Domain.Authentication")]
    [InlineData("FaceLogin.Domain.Faces")]
    [InlineData("FaceLogin.Domain.Reconciliation")]
    [InlineData("FaceLogin.Domain.Reindexing")]
    public void The_use_cases_and_the_face_model_depend_on_no_sdk_or_framework(string core)
    {
        var result = Types.InAssembly(Domain).That().ResideInNamespace(core).ShouldNot().HaveDependencyOnAny(AdapterDependencies).GetResult();

        Assert.True(result.IsSuccessful, Broken($"{core} must reach storage, engines and the web only through ports", result));
    }

    [Fact]
    public void Only_the_aws_adapters_reference_the_aws_sdk()
    {
        var result = Types.InAssembly(Domain).That().DoNotResideInNamespace("FaceLogin.Domain.Aws").ShouldNot().HaveDependencyOn("Amazon").GetResult();

        Assert.True(result.IsSuccessful, Broken("only FaceLogin.Domain.Aws may use the AWS SDK", result));
    }

    [Fact]
    public void The_rules_see_the_types_they_judge()
    {
        // A rule over an empty namespace passes whatever it says: each judged namespace must hold types.
        foreach (var core in new[] { "Registration", "Authentication", "Faces", "Reconciliation", "Reindexing", "Aws" })
        {
            Assert.NotEmpty(Types.InAssembly(Domain).That().ResideInNamespace("FaceLogin.Domain." + core).GetTypes());
        }
    }

    private static string Broken(string rule, NetArchTest.Rules.TestResult result) =>
        $"{rule}; broken by: {string.Join(", ", result.FailingTypeNames ?? [])}";
}
