using System.Globalization;
using FaceLogin.Domain.Reconciliation;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>reconcile [--repair]</c>: compares the photo store, the face collection and the directory and lists, one line each,
/// what a crash left behind (<see cref="ReconciliationService"/>): photos and faces without a person, face records whose face
/// has left the collection, people without a face. A dry run unless <c>--repair</c>, which deletes them. (Sign-in attempts that dead
/// requests left in progress are expired by the store start-up every process runs, this verb's too.) Safe while the app
/// runs: each person is judged and repaired under their lease. The lines and the summary on stdout. Exit code 0 for a dry
/// run and for a repair that left nothing, 1 when something could not be repaired (a person busy elsewhere, a failed
/// step, a collection that looks lost), 2 for usage or set-up errors.
/// </summary>
public sealed class ReconcileCommand(ReconciliationService reconciliation) : ICliCommand
{
    public string Name => "reconcile";

    public string Summary => "[--repair]: list (or with --repair delete) photos, faces and records a crash left without their person";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var report = await reconciliation.RunAsync(arguments.HasFlag("repair"), cancellationToken);
        foreach (var line in Describe(report))
        {
            await Console.Out.WriteLineAsync(line);
        }

        return !report.Repair || report.Clean ? 0 : 1;
    }

    internal static IEnumerable<string> Describe(ReconciliationReport report)
    {
        foreach (var leftover in report.Leftovers)
        {
            var action = !report.Repair ? "would delete" : leftover.Repaired ? "deleted" : "NOT deleted";
            yield return $"{action}  {KindName(leftover.Kind)}  {leftover.Item}  (person {leftover.PersonId:D})";
        }

        foreach (var image in report.PendingImages)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"waiting  image  {image.ImageKey}  ({image.Age.TotalMinutes:0} min old: may be an upload on its way to its registration)");
        }

        foreach (var personId in report.BusyPeople)
        {
            yield return $"busy  person  {personId:D}  (being registered or deleted elsewhere; run again)";
        }

        foreach (var warning in report.Warnings)
        {
            yield return $"warning: {warning}";
        }

        var counts = report.Leftovers.GroupBy(l => l.Kind).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {KindName(g.Key)}"));
        var found = report.Leftovers.Count == 0 ? "nothing to repair" : string.Join(", ", counts);
        var scanned = string.Create(CultureInfo.InvariantCulture,
            $"scanned {report.People} people, {report.RecordedFaces} face records, {report.CollectionFaces} faces in the collection, {report.Images} images");
        yield return report.Repair
            ? string.Create(CultureInfo.InvariantCulture, $"repair: {found}; {report.Leftovers.Count(l => l.Repaired)} deleted, {report.PendingImages.Count} waiting, {report.BusyPeople.Count} busy; {scanned}")
            : string.Create(CultureInfo.InvariantCulture, $"dry run: {found}; {report.PendingImages.Count} waiting, {report.BusyPeople.Count} busy; {scanned}")
                + (report.Leftovers.Count > 0 ? "; run with --repair to delete them" : "");
    }

    private static string KindName(LeftoverKind kind) => kind switch
    {
        LeftoverKind.UnrecordedFace => "face-without-record",
        LeftoverKind.UnrecordedImage => "image-without-record",
        LeftoverKind.FaceMissingFromCollection => "record-without-face",
        _ => "person-without-face",
    };
}
