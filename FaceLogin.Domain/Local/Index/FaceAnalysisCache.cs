using System.Security.Cryptography;
using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// A small least-recently-used cache of image analyses keyed by the SHA-256 of the image bytes (and their length), so the
/// DetectFaces → SearchFacesByImage → IndexFaces sequence of a sign-up analyses one image once. Bounded in entries and in
/// time; thread-safe; an analysis never runs under the lock. A collision-free key means a hit is always the same bytes.
/// </summary>
/// <remarks>
/// <see cref="Clear"/> (on every deletion) bumps a generation; an analysis started before it is returned to its caller but never
/// cached, so an embedding computed while a deletion ran cannot come back into the cache after it.
/// </remarks>
public sealed class FaceAnalysisCache(int capacity, TimeSpan lifetime, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _recency = [];
    private readonly Dictionary<Key, LinkedListNode<Entry>> _entries = [];
    private long _generation;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// A cached analysis of these bytes that holds at least the embeddings asked for, or a fresh one from <paramref name="analyze"/>.
    /// Exceptions (e.g. <see cref="FaceImageRejectedException"/>) pass through and are not cached.
    /// </summary>
    public FaceAnalysis GetOrAnalyze(ReadOnlyMemory<byte> image, EmbedFaces embed, Func<FaceAnalysis> analyze)
    {
        if (capacity == 0 || lifetime <= TimeSpan.Zero)
        {
            return analyze();
        }

        var key = Key.Of(image.Span);
        var now = time.GetUtcNow();
        long generation;
        lock (_gate)
        {
            generation = _generation;
            RemoveExpired(now);
            if (_entries.TryGetValue(key, out var node) && Covers(node.Value.Embed, embed))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Analysis;
            }
        }

        var analysis = analyze();
        var expiresAt = now + lifetime;
        lock (_gate)
        {
            if (generation != _generation)
            {
                // Cleared while analysing: this analysis may hold what the clearing was meant to remove.
                return analysis;
            }

            if (_entries.Remove(key, out var stale))
            {
                _recency.Remove(stale);
                if (Covers(stale.Value.Embed, embed) && stale.Value.ExpiresAt > now)
                {
                    // Another caller cached a richer analysis of the same bytes meanwhile: keep that one.
                    (analysis, embed, expiresAt) = (stale.Value.Analysis, stale.Value.Embed, stale.Value.ExpiresAt);
                }
            }

            _entries[key] = _recency.AddFirst(new Entry(key, embed, analysis, expiresAt));
            while (_entries.Count > capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
        }

        return analysis;
    }

    /// <summary>Drops everything, e.g. after a deletion, so no embedding outlives what it belonged to.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _generation++;
            _entries.Clear();
            _recency.Clear();
        }
    }

    private void RemoveExpired(DateTimeOffset now)
    {
        // A hit refreshes recency but not expiry, so expired entries can sit anywhere: sweep them all (the cache is tiny).
        for (var node = _recency.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.ExpiresAt <= now)
            {
                _recency.Remove(node);
                _entries.Remove(node.Value.Key);
            }

            node = next;
        }
    }

    /// <summary>None &lt; Largest &lt; All: an analysis with more embeddings answers a request for fewer.</summary>
    private static bool Covers(EmbedFaces cached, EmbedFaces wanted) => cached switch
    {
        EmbedFaces.All => true,
        EmbedFaces.Largest => wanted is EmbedFaces.Largest or EmbedFaces.None,
        _ => wanted is EmbedFaces.None,
    };

    private sealed record Entry(Key Key, EmbedFaces Embed, FaceAnalysis Analysis, DateTimeOffset ExpiresAt);

    private readonly record struct Key(long Length, UInt128 High, UInt128 Low)
    {
        public static Key Of(ReadOnlySpan<byte> bytes)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes, hash);
            return new Key(
                bytes.Length,
                System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash[16..]));
        }
    }
}
