using System.Globalization;

namespace FaceLogin.Web.Components;

/// <summary>How pages write times and numbers: one format everywhere, in UTC (the server has no idea of the reader's zone).</summary>
public static class Formats
{
    public static string DateTime(DateTimeOffset? value) =>
        value is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";

    public static string Similarity(float? value) =>
        value is { } similarity ? similarity.ToString("0.0", CultureInfo.InvariantCulture) : "—";
}
