
namespace DigitMl.Data.Mnist;

/// <summary>
/// A small, fully specified DEFLATE (RFC 1951) encoder: greedy LZ77 over a 3-byte hash chain, dynamic Huffman
/// blocks. The runtime's zlib (zlib-ng) and Skia's zlib choose matches differently per CPU architecture and
/// version, so their output bytes differ between machines; this encoder's output depends only on the input.
/// It trades some ratio and speed for that (decoding is ordinary: any inflater reads it).
/// </summary>
public static class DeterministicDeflate
{
    private const int WindowSize = 32768;
    private const int MinMatch = 3;
    private const int MaxMatch = 258;
    private const int MaxChain = 8;
    private const int GoodEnoughMatch = 64;
    private const int HashBits = 15;
    private const int SymbolsPerBlock = 32768;
    private const int EndOfBlock = 256;

    private static readonly int[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly int[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly int[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    private static readonly int[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    private static readonly int[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
    private static readonly byte[] LengthCodeOf = BuildLengthCodes();

    /// <summary>Raw DEFLATE stream of <paramref name="data"/>.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        var output = new BitWriter(Math.Max(64, data.Length / 2));
        WriteBlocks(data, output);
        return output.ToArray();
    }

    /// <summary>zlib stream (RFC 1950: 2-byte header, DEFLATE, big-endian Adler-32), as PNG's IDAT needs.</summary>
    public static byte[] CompressZlib(ReadOnlySpan<byte> data)
    {
        var output = new BitWriter(Math.Max(64, data.Length / 2));
        output.WriteBits(0x78, 8);
        output.WriteBits(0x9c, 8);
        WriteBlocks(data, output);
        output.AlignToByte();
        uint adler = Adler32(data);
        for (int shift = 24; shift >= 0; shift -= 8) output.WriteBits((adler >> shift) & 0xff, 8);
        return output.ToArray();
    }

    public static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            int n = Math.Min(5552, data.Length);
            foreach (byte x in data[..n])
            {
                a += x;
                b += a;
            }
            a %= 65521;
            b %= 65521;
            data = data[n..];
        }
        return (b << 16) | a;
    }

    private static void WriteBlocks(ReadOnlySpan<byte> data, BitWriter output)
    {
        // Symbols: literal byte (0..255) with distance 0, or match length (3..258) with distance 1..32768.
        var lengths = new ushort[SymbolsPerBlock];
        var distances = new ushort[SymbolsPerBlock];
        // Pooled: scenes are encoded by the thousand, and arrays this size would land on the large-object heap.
        var head = System.Buffers.ArrayPool<int>.Shared.Rent(1 << HashBits);
        var previous = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, data.Length));
        Array.Fill(head, -1, 0, 1 << HashBits);
        try
        {
            Tokenize(data, output, lengths, distances, head, previous);
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(head);
            System.Buffers.ArrayPool<int>.Shared.Return(previous);
        }
    }

    private static void Tokenize(ReadOnlySpan<byte> data, BitWriter output, ushort[] lengths, ushort[] distances, int[] head, int[] previous)
    {
        int count = 0;

        int i = 0;
        while (i < data.Length)
        {
            int bestLength = 0, bestDistance = 0, hash = -1;
            if (i + MinMatch <= data.Length)
            {
                hash = Hash(data, i);
                int candidate = head[hash];
                int maxLength = Math.Min(MaxMatch, data.Length - i);
                for (int chain = 0; chain < MaxChain && candidate >= 0 && i - candidate <= WindowSize; chain++)
                {
                    if (data[candidate + bestLength] == data[i + bestLength] && data[candidate] == data[i] && data[candidate + 1] == data[i + 1])
                    {
                        int length = 2;
                        while (length < maxLength && data[candidate + length] == data[i + length]) length++;
                        if (length > bestLength)
                        {
                            bestLength = length;
                            bestDistance = i - candidate;
                            if (length >= GoodEnoughMatch || length == maxLength) break;
                        }
                    }
                    candidate = previous[candidate];
                }
            }
            // A far 3-byte match costs more bits than three literals.
            bool match = bestLength > MinMatch || (bestLength == MinMatch && bestDistance <= 4096);
            int step = match ? bestLength : 1;
            if (match)
            {
                lengths[count] = (ushort)bestLength;
                distances[count] = (ushort)bestDistance;
            }
            else
            {
                lengths[count] = data[i];
                distances[count] = 0;
            }
            count++;
            if (hash >= 0)
            {
                previous[i] = head[hash];
                head[hash] = i;
            }
            for (int k = i + 1; k < i + step && k + MinMatch <= data.Length; k++)
            {
                int h = Hash(data, k);
                previous[k] = head[h];
                head[h] = k;
            }
            i += step;
            if (count == SymbolsPerBlock)
            {
                WriteDynamicBlock(output, lengths, distances, count, final: i >= data.Length);
                count = 0;
            }
        }
        if (count > 0 || data.Length == 0) WriteDynamicBlock(output, lengths, distances, count, final: true);
    }

    private static int Hash(ReadOnlySpan<byte> data, int i) =>
        ((data[i] << 10) ^ (data[i + 1] << 5) ^ data[i + 2]) & ((1 << HashBits) - 1);

    private static void WriteDynamicBlock(BitWriter output, ushort[] lengths, ushort[] distances, int count, bool final)
    {
        var litFreq = new int[286];
        var distFreq = new int[30];
        for (int s = 0; s < count; s++)
        {
            if (distances[s] == 0)
            {
                litFreq[lengths[s]]++;
            }
            else
            {
                litFreq[257 + LengthCodeOf[lengths[s]]]++;
                distFreq[DistanceCode(distances[s])]++;
            }
        }
        litFreq[EndOfBlock]++;
        var litLengths = HuffmanLengths(litFreq, 15);
        var distLengths = HuffmanLengths(distFreq, 15);
        int hlit = 286, hdist = 30;
        while (hlit > 257 && litLengths[hlit - 1] == 0) hlit--;
        while (hdist > 1 && distLengths[hdist - 1] == 0) hdist--;

        var all = new byte[hlit + hdist];
        Array.Copy(litLengths, all, hlit);
        Array.Copy(distLengths, 0, all, hlit, hdist);
        var runs = RunLengthEncode(all);
        var clFreq = new int[19];
        foreach (var (symbol, _) in runs) clFreq[symbol]++;
        var clLengths = HuffmanLengths(clFreq, 7);
        int hclen = 19;
        while (hclen > 4 && clLengths[CodeLengthOrder[hclen - 1]] == 0) hclen--;

        output.WriteBits(final ? 1u : 0u, 1);
        output.WriteBits(2, 2);
        output.WriteBits((uint)(hlit - 257), 5);
        output.WriteBits((uint)(hdist - 1), 5);
        output.WriteBits((uint)(hclen - 4), 4);
        for (int k = 0; k < hclen; k++) output.WriteBits(clLengths[CodeLengthOrder[k]], 3);
        var clCodes = CanonicalCodes(clLengths);
        foreach (var (symbol, extra) in runs)
        {
            output.WriteBits(clCodes[symbol], clLengths[symbol]);
            if (symbol == 16) output.WriteBits((uint)extra, 2);
            else if (symbol == 17) output.WriteBits((uint)extra, 3);
            else if (symbol == 18) output.WriteBits((uint)extra, 7);
        }

        var litCodes = CanonicalCodes(litLengths);
        var distCodes = CanonicalCodes(distLengths);
        for (int s = 0; s < count; s++)
        {
            if (distances[s] == 0)
            {
                output.WriteBits(litCodes[lengths[s]], litLengths[lengths[s]]);
                continue;
            }
            int lc = LengthCodeOf[lengths[s]];
            output.WriteBits(litCodes[257 + lc], litLengths[257 + lc]);
            output.WriteBits((uint)(lengths[s] - LengthBase[lc]), LengthExtra[lc]);
            int dc = DistanceCode(distances[s]);
            output.WriteBits(distCodes[dc], distLengths[dc]);
            output.WriteBits((uint)(distances[s] - DistanceBase[dc]), DistanceExtra[dc]);
        }
        output.WriteBits(litCodes[EndOfBlock], litLengths[EndOfBlock]);
    }

    private static List<(int Symbol, int Extra)> RunLengthEncode(byte[] codeLengths)
    {
        var runs = new List<(int, int)>();
        for (int i = 0; i < codeLengths.Length;)
        {
            byte value = codeLengths[i];
            int run = 1;
            while (i + run < codeLengths.Length && codeLengths[i + run] == value) run++;
            i += run;
            if (value == 0)
            {
                while (run >= 11)
                {
                    int n = Math.Min(run, 138);
                    runs.Add((18, n - 11));
                    run -= n;
                }
                if (run >= 3)
                {
                    runs.Add((17, run - 3));
                    run = 0;
                }
            }
            else
            {
                runs.Add((value, 0));
                run--;
                while (run >= 3)
                {
                    int n = Math.Min(run, 6);
                    runs.Add((16, n - 3));
                    run -= n;
                }
            }
            for (; run > 0; run--) runs.Add((value, 0));
        }
        return runs;
    }

    /// <summary>
    /// Huffman code lengths no longer than <paramref name="maxBits"/>. At least two symbols always get a code
    /// (some inflaters reject a single-code tree). Ties break by symbol order, so the result is fully determined.
    /// </summary>
    internal static byte[] HuffmanLengths(int[] frequencies, int maxBits)
    {
        var freq = (int[])frequencies.Clone();
        for (int s = 0, used = freq.Count(f => f > 0); used < 2 && s < freq.Length; s++)
        {
            if (freq[s] != 0) continue;
            freq[s] = 1;
            used++;
        }
        while (true)
        {
            var result = BuildLengths(freq);
            if (result.Max() <= maxBits) return result;
            for (int s = 0; s < freq.Length; s++) if (freq[s] > 0) freq[s] = (freq[s] + 1) / 2;
        }
    }

    private static byte[] BuildLengths(int[] freq)
    {
        int n = freq.Length;
        var parent = new int[2 * n];
        var queue = new PriorityQueue<int, (long Weight, int Order)>();
        for (int s = 0; s < n; s++) if (freq[s] > 0) queue.Enqueue(s, (freq[s], s));
        int next = n;
        while (queue.Count > 1)
        {
            queue.TryDequeue(out int a, out var wa);
            queue.TryDequeue(out int b, out var wb);
            parent[a] = next;
            parent[b] = next;
            queue.Enqueue(next, (wa.Weight + wb.Weight, next));
            next++;
        }
        int root = next - 1;
        var lengths = new byte[n];
        for (int s = 0; s < n; s++)
        {
            if (freq[s] == 0) continue;
            int depth = 0;
            for (int node = s; node != root; node = parent[node]) depth++;
            lengths[s] = (byte)Math.Min(depth, 255);
        }
        return lengths;
    }

    /// <summary>Canonical codes (RFC 1951 3.2.2), bit-reversed so they can be written least significant bit first.</summary>
    private static uint[] CanonicalCodes(byte[] lengths)
    {
        var countPerLength = new int[16];
        foreach (byte l in lengths) if (l > 0) countPerLength[l]++;
        var nextCode = new uint[16];
        uint code = 0;
        for (int bits = 1; bits < 16; bits++)
        {
            code = (code + (uint)countPerLength[bits - 1]) << 1;
            nextCode[bits] = code;
        }
        var codes = new uint[lengths.Length];
        for (int s = 0; s < lengths.Length; s++)
        {
            int l = lengths[s];
            if (l == 0) continue;
            uint c = nextCode[l]++;
            uint reversed = 0;
            for (int k = 0; k < l; k++) reversed |= ((c >> k) & 1) << (l - 1 - k);
            codes[s] = reversed;
        }
        return codes;
    }

    private static int DistanceCode(int distance)
    {
        int code = 0;
        while (code < 29 && DistanceBase[code + 1] <= distance) code++;
        return code;
    }

    private static byte[] BuildLengthCodes()
    {
        var table = new byte[MaxMatch + 1];
        for (int code = 0; code < LengthBase.Length; code++)
        {
            int end = code + 1 < LengthBase.Length ? LengthBase[code + 1] : MaxMatch + 1;
            for (int length = LengthBase[code]; length < end && length <= MaxMatch; length++) table[length] = (byte)code;
        }
        table[MaxMatch] = 28;
        return table;
    }

    private sealed class BitWriter(int capacity)
    {
        private byte[] _bytes = new byte[capacity];
        private int _length;
        private ulong _buffer;
        private int _bits;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void WriteBits(uint value, int count)
        {
            _buffer |= (ulong)(value & ((1u << count) - 1)) << _bits;
            _bits += count;
            if (_bits >= 32) Flush(32);
        }

        private void Flush(int bits)
        {
            if (_length + 4 > _bytes.Length) Array.Resize(ref _bytes, (_bytes.Length * 2) + 4);
            for (; bits >= 8; bits -= 8)
            {
                _bytes[_length++] = (byte)_buffer;
                _buffer >>= 8;
                _bits -= 8;
            }
        }

        public void AlignToByte()
        {
            if (_bits % 8 != 0) WriteBits(0, 8 - (_bits % 8));
            Flush(_bits);
        }

        public byte[] ToArray()
        {
            AlignToByte();
            return _bytes[.._length];
        }
    }
}
