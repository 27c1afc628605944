using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text.RegularExpressions;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// The local engine's face collection: Rekognition's collection semantics over <see cref="IFaceAnalyzer"/>, an in-memory
/// <see cref="FaceVectorIndex"/> and a SQLite file that is the source of truth (written first, loaded at first use). Other
/// processes may write the same file (the <c>import</c> verb, a second instance): every search first catches up with what
/// they committed (<see cref="CollectionIndexSync"/>).
/// </summary>
/// <remarks>
/// Differences from Rekognition, all on the lenient side: IndexFaces creates the collection when it does not exist yet, and
/// searching, listing or deleting in a missing collection finds nothing instead of failing. SearchFaces with an unknown (but
/// well-formed) FaceId returns no matches.
/// </remarks>
public sealed partial class LocalFaceCollection : IFaceCollection, IDisposable
{
    /// <summary>Rekognition's MaxFaces / MaxResults ceiling.</summary>
    public const int MaxResultsLimit = FaceVectorIndex.MaxResultsLimit;

    private const byte NextTokenVersion = 1;

    private readonly IFaceAnalyzer _analyzer;
    private readonly SimilarityScale _scale;
    private readonly LocalCollectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalFaceCollection> _logger;
    private readonly FaceCollectionDatabase _database;
    private readonly FaceAnalysisCache _cache;
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private CollectionIndexSync? _sync;
    private StoredCollection? _stored;

    /// <param name="collectionId">Another collection than the configured one (a re-index's generation); null for the configured one.</param>
    public LocalFaceCollection(
        IFaceAnalyzer analyzer,
        SimilarityScale scale,
        IOptions<LocalCollectionOptions> options,
        IOptions<FaceLoginOptions> appOptions,
        TimeProvider time,
        ILogger<LocalFaceCollection> logger,
        string? collectionId = null)
    {
        _analyzer = analyzer;
        _scale = scale;
        _options = options.Value;
        CollectionId = collectionId ?? _options.CollectionId;
        _time = time;
        _logger = logger;
        _database = new FaceCollectionDatabase(Path.Combine(appOptions.Value.ResolveDataPath(), _options.DatabaseFileName));
        _cache = new FaceAnalysisCache(_options.AnalysisCacheSize, _options.AnalysisCacheLifetime, time);
    }

    public string CollectionId { get; }

    /// <summary>The SQLite file behind the collection.</summary>
    public string DatabasePath => _database.Path;

    public async Task<CollectionDescription> EnsureCollectionAsync(CancellationToken cancellationToken)
    {
        var index = await OpenCurrentAsync(cancellationToken);
        var stored = await EnsureStoredAsync(cancellationToken);
        return Describe(stored, index);
    }

    public async Task<CollectionDescription?> DescribeCollectionAsync(CancellationToken cancellationToken)
    {
        var index = await OpenCurrentAsync(cancellationToken);
        return await FindStoredAsync(cancellationToken) is { } stored ? Describe(stored, index) : null;
    }

    public Task<DetectFacesResult> DetectFacesAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        // With the cache on, embed the largest face now (a few ms): sign-up searches and indexes these same bytes next,
        // and then neither has to analyse again.
        var embed = _options.AnalysisCacheSize > 0 ? EmbedFaces.Largest : EmbedFaces.None;
        var analysis = Analyze(image, embed, cancellationToken);
        return Task.FromResult(new DetectFacesResult(analysis.Faces.Select(f => f.Detail).ToList(), analysis.ImageWidth, analysis.ImageHeight));
    }

    public Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        IndexFaceAsync(image, externalImageId, _options.QualityFilter, cancellationToken);

    public Task<IndexFacesResult> IndexFaceWithoutQualityFilterAsync(ReadOnlyMemory<byte> image, string externalImageId, CancellationToken cancellationToken) =>
        IndexFaceAsync(image, externalImageId, QualityFilter.None, cancellationToken);

    private async Task<IndexFacesResult> IndexFaceAsync(ReadOnlyMemory<byte> image, string externalImageId, QualityFilter qualityFilter, CancellationToken cancellationToken)
    {
        ValidateExternalImageId(externalImageId);
        var sync = await OpenAsync(cancellationToken);
        var analysis = Analyze(image, EmbedFaces.Largest, cancellationToken);
        await EnsureStoredAsync(cancellationToken);

        if (analysis.Faces.Count == 0)
        {
            return new IndexFacesResult(null, null, [], _analyzer.ModelVersion);
        }

        // The analyzer returns faces largest first: the first is the candidate, every other one exceeds MaxFaces = 1.
        var largest = analysis.Faces[0];
        var others = analysis.Faces.Skip(1)
            .Select(face => new UnindexedFace(face.Detail, [UnindexedReason.ExceedsMaxFaces]))
            .ToList();
        if (qualityFilter == QualityFilter.Auto && largest.QualityIssues.Count > 0)
        {
            return new IndexFacesResult(null, null, [new UnindexedFace(largest.Detail, largest.QualityIssues), .. others], _analyzer.ModelVersion);
        }

        var embedding = UnitVector.Normalize(EmbeddingOf(largest));
        var faceId = Guid.NewGuid();
        var record = new FaceRecord(
            FaceId: faceId.ToString("D"),
            ExternalImageId: externalImageId,
            Box: largest.Detail.Box,
            Confidence: largest.Detail.Confidence,
            ImageId: Guid.NewGuid().ToString("D"));

        // SQLite first, then the index catches up with it (this face and whatever other processes wrote): a crash between the
        // two leaves a row that the next start-up loads, never an index entry without a row.
        await _database.InsertFaceAsync(new StoredFace(CollectionId, record, embedding, _analyzer.ModelVersion, _time.GetUtcNow()), cancellationToken);
        try
        {
            await CatchUpAsync(sync, force: true, cancellationToken);
        }
        catch
        {
            // Nothing stored half-way: the call failed, so the face must not stay. Its deletion is logged like any other.
            await _database.DeleteFacesAsync(CollectionId, [record.FaceId], CancellationToken.None);
            throw;
        }

        LogIndexed(faceId, others.Count);
        return new IndexFacesResult(record, largest.Detail, others, _analyzer.ModelVersion);
    }

    public async Task<SearchByImageResult> SearchFacesByImageAsync(ReadOnlyMemory<byte> image, float similarityThreshold, int maxFaces, CancellationToken cancellationToken)
    {
        ValidateSearch(similarityThreshold, maxFaces);

        // Caught up first: deletions made elsewhere also clear the analysis cache before it is used.
        var index = await OpenCurrentAsync(cancellationToken);
        var analysis = Analyze(image, EmbedFaces.Largest, cancellationToken);
        if (analysis.Faces.Count == 0)
        {
            return new SearchByImageResult(null, []);
        }

        var largest = analysis.Faces[0];
        var found = index.Search(EmbeddingOf(largest), maxFaces, MinCosine(similarityThreshold));
        return new SearchByImageResult(largest.Detail, await ToMatchesAsync(found, similarityThreshold, cancellationToken));
    }

    public async Task<IReadOnlyList<FaceMatch>> SearchFacesAsync(string faceId, float similarityThreshold, int maxFaces, CancellationToken cancellationToken)
    {
        ValidateSearch(similarityThreshold, maxFaces);
        var id = ParseFaceId(faceId);
        var index = await OpenCurrentAsync(cancellationToken);
        return index.TrySearchById(id, maxFaces, MinCosine(similarityThreshold), out var found)
            ? await ToMatchesAsync(found, similarityThreshold, cancellationToken)
            : [];
    }

    public async Task<FacePage> ListFacesAsync(string? nextToken, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, MaxResultsLimit);
        var after = nextToken is null ? 0 : ParseNextToken(nextToken);
        await OpenAsync(cancellationToken);

        // One row more than asked tells whether another page exists without a second query.
        var rows = await _database.ListFacesAsync(CollectionId, after, maxResults + 1, cancellationToken);
        var page = rows.Take(maxResults).ToList();
        var token = rows.Count > maxResults ? FormatNextToken(page[^1].Seq) : null;
        return new FacePage(page.Select(row => row.Record).ToList(), token);
    }

    public async Task<IReadOnlyList<string>> DeleteFacesAsync(IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(faceIds);
        var ids = faceIds.Select(ParseFaceId).Distinct().ToList();
        var sync = await OpenAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        // The rows and their deletion log entries go in one transaction; every process's index then drops them on catch-up,
        // this one's before returning.
        var deleted = await _database.DeleteFacesAsync(CollectionId, ids.Select(id => id.ToString("D")).ToList(), cancellationToken);

        // Cached analyses hold embeddings of recent images; after a deletion none should linger (nor be added back, see the cache).
        _cache.Clear();
        await CatchUpAsync(sync, force: true, CancellationToken.None);
        LogDeleted(deleted.Count, ids.Count);
        return deleted;
    }

    public void Dispose()
    {
        _sync?.Dispose();
        _openGate.Dispose();
        _database.ReleaseConnections();
    }

    /// <summary>The index, caught up with everything committed to the file so far.</summary>
    private async Task<FaceVectorIndex> OpenCurrentAsync(CancellationToken cancellationToken)
    {
        var sync = await OpenAsync(cancellationToken);
        await CatchUpAsync(sync, force: false, cancellationToken);
        return sync.Index;
    }

    private async Task CatchUpAsync(CollectionIndexSync sync, bool force, CancellationToken cancellationToken)
    {
        var applied = await sync.CatchUpAsync(force, cancellationToken);
        if (applied.Removed > 0)
        {
            // Faces were deleted (perhaps by another process): the same rule as for a deletion made here.
            _cache.Clear();
        }

        if (applied != ChangesApplied.None)
        {
            LogCaughtUp(applied.Added, applied.Removed);
        }
    }

    /// <summary>
    /// First use: migrate the file, check the stored collection was made by this analyzer, and load its embeddings.
    /// A mismatch throws every time (nothing is half-loaded), so the problem cannot go unnoticed.
    /// </summary>
    private async Task<CollectionIndexSync> OpenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _sync) is { } open)
        {
            return open;
        }

        await _openGate.WaitAsync(cancellationToken);
        try
        {
            if (_sync is { } openedMeanwhile)
            {
                return openedMeanwhile;
            }

            await _database.MigrateAsync(cancellationToken);
            var stored = await _database.GetCollectionAsync(CollectionId, cancellationToken);
            var index = new FaceVectorIndex(_analyzer.EmbeddingLength, new FaceVectorIndexOptions { ParallelScanMinimum = _options.ParallelScanMinimum });
            CollectionIndexSync sync;
            try
            {
                if (stored is not null)
                {
                    await CheckModelAsync(stored, cancellationToken);
                }

                sync = await CollectionIndexSync.LoadAsync(_database, CollectionId, _analyzer.ModelVersion, index, cancellationToken);
            }
            catch
            {
                index.Dispose();
                throw;
            }

            _stored = stored;
            Volatile.Write(ref _sync, sync);
            LogOpened(CollectionId, index.Count);
            return sync;
        }
        finally
        {
            _openGate.Release();
        }
    }

    private async Task CheckModelAsync(StoredCollection stored, CancellationToken cancellationToken)
    {
        if (stored.FaceModelVersion != _analyzer.ModelVersion || stored.EmbeddingLength != _analyzer.EmbeddingLength)
        {
            throw new FaceModelVersionMismatchException(
                $"Face collection '{CollectionId}' in {_database.Path} was created for face model '{stored.FaceModelVersion}' " +
                $"({stored.EmbeddingLength} values per embedding), but the engine is '{_analyzer.ModelVersion}' ({_analyzer.EmbeddingLength}). " +
                "Embeddings of different models cannot be compared. Re-compute every face from the stored photos with the configured model: " +
                "stop the app and run 'dotnet run --project FaceLogin.Web -- reindex' (add --dry-run to see what it would do first), " +
                "or configure the engine the collection was made with (FaceLogin:Engine:Recognizer).");
        }

        var expectedBytes = (long)_analyzer.EmbeddingLength * sizeof(float);
        foreach (var version in await _database.GetModelVersionsAsync(CollectionId, cancellationToken))
        {
            if (version.ModelVersion != _analyzer.ModelVersion)
            {
                throw new FaceModelVersionMismatchException(
                    $"Face collection '{CollectionId}' in {_database.Path} holds {version.Faces} faces embedded by model '{version.ModelVersion}', " +
                    $"not by the running '{_analyzer.ModelVersion}': they cannot be compared, so the collection was not loaded. " +
                    "Re-register those faces or delete them.");
            }

            if (version.MinEmbeddingBytes != expectedBytes || version.MaxEmbeddingBytes != expectedBytes)
            {
                throw new InvalidDataException(
                    $"Face collection '{CollectionId}' in {_database.Path} holds embeddings of {version.MinEmbeddingBytes}–{version.MaxEmbeddingBytes} bytes; " +
                    $"model '{_analyzer.ModelVersion}' makes {expectedBytes}.");
            }
        }
    }

    private async Task<StoredCollection> EnsureStoredAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _stored) is { } existing)
        {
            return existing;
        }

        var stored = await _database.CreateCollectionAsync(
            new StoredCollection(CollectionId, _analyzer.ModelVersion, _analyzer.EmbeddingLength, _time.GetUtcNow()), cancellationToken);

        // Another process may have created it first, with another model.
        await CheckModelAsync(stored, cancellationToken);
        Volatile.Write(ref _stored, stored);
        return stored;
    }

    /// <summary>The collection's row, also when another process created it after this one opened the file.</summary>
    private async Task<StoredCollection?> FindStoredAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _stored) is { } known)
        {
            return known;
        }

        if (await _database.GetCollectionAsync(CollectionId, cancellationToken) is not { } stored)
        {
            return null;
        }

        await CheckModelAsync(stored, cancellationToken);
        Volatile.Write(ref _stored, stored);
        return stored;
    }

    private CollectionDescription Describe(StoredCollection stored, FaceVectorIndex index) =>
        new(stored.CollectionId, index.Count, stored.FaceModelVersion, stored.CreatedAt);

    private FaceAnalysis Analyze(ReadOnlyMemory<byte> image, EmbedFaces embed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cache.GetOrAnalyze(image, embed, () => _analyzer.Analyze(image, embed, cancellationToken));
    }

    private float[] EmbeddingOf(AnalyzedFace face)
    {
        var embedding = face.Embedding
            ?? throw new InvalidOperationException("The face analyzer returned the largest face without the embedding it was asked for.");
        if (embedding.Length != _analyzer.EmbeddingLength)
        {
            throw new InvalidOperationException(
                $"The face analyzer returned a {embedding.Length}-value embedding; it declares {_analyzer.EmbeddingLength}.");
        }

        return embedding;
    }

    /// <summary>
    /// Scores map monotonically to cosines, so a score threshold is a cosine threshold. The cosine is lowered a hair to absorb
    /// float rounding of the mapping; <see cref="ToMatchesAsync"/> then applies the threshold on the score itself.
    /// A threshold of 0 accepts everything, as in Rekognition (scores are clamped at 0).
    /// </summary>
    private float MinCosine(float similarityThreshold) =>
        similarityThreshold <= 0 ? float.NegativeInfinity : _scale.ToCosine(similarityThreshold) - 1e-5f;

    private async Task<IReadOnlyList<FaceMatch>> ToMatchesAsync(IReadOnlyList<VectorMatch> found, float similarityThreshold, CancellationToken cancellationToken)
    {
        var scored = found
            .Select(match => (match.Id, Similarity: _scale.ToScore(match.Cosine)))
            .Where(match => match.Similarity >= similarityThreshold)
            .ToList();
        var records = await _database.GetFacesAsync(CollectionId, scored.Select(m => m.Id.ToString("D")).ToList(), cancellationToken);

        // A face deleted between the index search and this read is simply no longer a match.
        return scored
            .Where(match => records.ContainsKey(match.Id.ToString("D")))
            .Select(match => new FaceMatch(records[match.Id.ToString("D")], match.Similarity))
            .ToList();
    }

    private static void ValidateSearch(float similarityThreshold, int maxFaces)
    {
        if (!(similarityThreshold is >= 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(similarityThreshold), similarityThreshold, "The similarity threshold is on the 0..100 scale.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxFaces, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFaces, MaxResultsLimit);
    }

    /// <summary>Rekognition's ExternalImageId rule: 1–255 characters of [a-zA-Z0-9_.\-:].</summary>
    public static void ValidateExternalImageId(string externalImageId)
    {
        ArgumentNullException.ThrowIfNull(externalImageId);
        if (externalImageId.Length is < 1 or > 255 || !ExternalImageIdPattern().IsMatch(externalImageId))
        {
            throw new ArgumentException(
                "An external image id is 1 to 255 characters of letters, digits, '_', '.', '-' and ':' (Rekognition's rule).", nameof(externalImageId));
        }
    }

    private static Guid ParseFaceId(string faceId) =>
        Guid.TryParseExact(faceId, "D", out var id)
            ? id
            : throw new ArgumentException($"'{faceId}' is not a face id (a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301).", nameof(faceId));

    /// <summary>Opaque to callers: a version byte and the position of the last face returned, base64url-encoded.</summary>
    private static string FormatNextToken(long lastSeq)
    {
        Span<byte> bytes = stackalloc byte[9];
        bytes[0] = NextTokenVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], lastSeq);
        return Base64Url.EncodeToString(bytes);
    }

    private static long ParseNextToken(string nextToken)
    {
        Span<byte> bytes = stackalloc byte[12];
        try
        {
            if (nextToken.Length <= 16 && Base64Url.TryDecodeFromChars(nextToken, bytes, out var written) && written == 9 && bytes[0] == NextTokenVersion)
            {
                var seq = BinaryPrimitives.ReadInt64BigEndian(bytes[1..9]);
                if (seq > 0)
                {
                    return seq;
                }
            }
        }
        catch (FormatException)
        {
            // Not base64url at all: the same answer as any other foreign token, below.
        }

        throw new ArgumentException("The next token was not issued by ListFaces of this collection.", nameof(nextToken));
    }

    [GeneratedRegex(@"\A[a-zA-Z0-9_.\-:]+\z")]
    private static partial Regex ExternalImageIdPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Face collection {CollectionId} opened with {FaceCount} faces")]
    private partial void LogOpened(string collectionId, int faceCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Indexed face {FaceId}; {OtherFaces} other faces in the image were not indexed")]
    private partial void LogIndexed(Guid faceId, int otherFaces);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Caught up with the collection file: {Added} faces added, {Removed} removed")]
    private partial void LogCaughtUp(int added, int removed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Deleted} of {Requested} faces")]
    private partial void LogDeleted(int deleted, int requested);
}
