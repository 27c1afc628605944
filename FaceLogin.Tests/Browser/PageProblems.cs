using Microsoft.Playwright;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// Collects what a page reports as broken: uncaught script errors and console errors, Content-Security-Policy violations
/// among them. Failed HTTP responses are left out: a refused sign-in is a 401 on purpose.
/// </summary>
internal sealed class PageProblems
{
    private readonly List<string> _problems = [];

    public static PageProblems Watch(IBrowserContext context)
    {
        var problems = new PageProblems();
        context.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                problems.Add("console: " + message.Text);
            }
        };
        context.WebError += (_, error) => problems.Add("page error: " + error.Error);
        return problems;
    }

    public void AssertNone()
    {
        lock (_problems)
        {
            Assert.True(_problems.Count == 0, "The pages reported problems:\n" + string.Join('\n', _problems));
        }
    }

    private void Add(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
