namespace FaceLogin.Domain.Local.Engine.Decoding;

/// <summary>
/// Shrinks an RGBA image fed one row at a time by averaging every source pixel into the target pixel it falls in
/// (a box filter). Row by row so that a large PNG, which its codec cannot scale, never needs a full-size buffer.
/// </summary>
internal sealed class AreaDownscaler
{
    private readonly int _sourceWidth;
    private readonly int _sourceHeight;
    private readonly int[] _targetColumnOf;
    private readonly int[] _columnCount;
    private readonly long[] _sums;
    private int _rowsInSums;
    private int _currentTargetRow;
    private int _nextSourceRow;

    public AreaDownscaler(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight)
    {
        if (targetWidth > sourceWidth || targetHeight > sourceHeight || targetWidth < 1 || targetHeight < 1)
        {
            throw new ArgumentException("The target must be smaller than the source and at least 1×1.");
        }

        _sourceWidth = sourceWidth;
        _sourceHeight = sourceHeight;
        TargetWidth = targetWidth;
        TargetHeight = targetHeight;
        Target = new byte[targetWidth * targetHeight * 4];
        _targetColumnOf = new int[sourceWidth];
        _columnCount = new int[targetWidth];
        for (var x = 0; x < sourceWidth; x++)
        {
            var tx = (int)((long)x * targetWidth / sourceWidth);
            _targetColumnOf[x] = tx;
            _columnCount[tx]++;
        }

        _sums = new long[targetWidth * 4];
    }

    public int TargetWidth { get; }

    public int TargetHeight { get; }

    public byte[] Target { get; }

    /// <summary>Adds the next source row (RGBA, <c>4 × sourceWidth</c> bytes), top to bottom.</summary>
    public void AddRow(ReadOnlySpan<byte> row)
    {
        var targetRow = (int)((long)_nextSourceRow * TargetHeight / _sourceHeight);
        if (targetRow != _currentTargetRow)
        {
            Flush();
            _currentTargetRow = targetRow;
        }

        for (var x = 0; x < _sourceWidth; x++)
        {
            var t = _targetColumnOf[x] * 4;
            var s = x * 4;
            _sums[t] += row[s];
            _sums[t + 1] += row[s + 1];
            _sums[t + 2] += row[s + 2];
            _sums[t + 3] += row[s + 3];
        }

        _rowsInSums++;
        _nextSourceRow++;
        if (_nextSourceRow == _sourceHeight)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_rowsInSums == 0)
        {
            return;
        }

        var offset = _currentTargetRow * TargetWidth * 4;
        for (var tx = 0; tx < TargetWidth; tx++)
        {
            long count = (long)_columnCount[tx] * _rowsInSums;
            for (var c = 0; c < 4; c++)
            {
                Target[offset + tx * 4 + c] = (byte)((_sums[tx * 4 + c] + count / 2) / count);
            }
        }

        Array.Clear(_sums);
        _rowsInSums = 0;
    }
}
