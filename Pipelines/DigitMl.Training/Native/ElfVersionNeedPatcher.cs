using System.Buffers.Binary;
using System.Text;

namespace DigitMl.Training.Native;

/// <summary>
/// Reads and edits the symbol-version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF
/// shared library. Used to mark a version requirement weak, so the dynamic loader accepts a system library
/// that lacks that version tag (see <see cref="TorchSharpNativeLoader"/> for why this is safe here).
/// </summary>
internal static class ElfVersionNeedPatcher
{
    private const uint SectionTypeVersionNeed = 0x6ffffffe; // SHT_GNU_verneed
    private const uint SectionTypeVersionSymbols = 0x6fffffff; // SHT_GNU_versym
    private const uint SectionTypeDynamicSymbols = 11; // SHT_DYNSYM
    private const ushort WeakFlag = 0x2; // VER_FLG_WEAK

    /// <summary>One required version: which library provides it, its name, and where its flags live in the file.</summary>
    internal sealed record VersionNeed(string Library, string Version, ushort Index, ushort Flags, int FlagsOffset)
    {
        public bool IsWeak => (Flags & WeakFlag) != 0;
    }

    public static IReadOnlyList<VersionNeed> ReadVersionNeeds(byte[] elf)
    {
        var sections = ReadSections(elf);
        var needSection = sections.FirstOrDefault(s => s.Type == SectionTypeVersionNeed)
            ?? throw new InvalidDataException("the library has no .gnu.version_r section");
        var strings = sections[(int)needSection.Link];
        var result = new List<VersionNeed>();
        int offset = (int)needSection.Offset;
        while (true)
        {
            ushort count = U16(elf, offset + 2);
            string library = CString(elf, strings.Offset + U32(elf, offset + 4));
            int aux = offset + (int)U32(elf, offset + 8);
            for (int i = 0; i < count; i++)
            {
                ushort flags = U16(elf, aux + 4);
                ushort index = U16(elf, aux + 6);
                string version = CString(elf, strings.Offset + U32(elf, aux + 8));
                result.Add(new VersionNeed(library, version, index, flags, aux + 4));
                uint nextAux = U32(elf, aux + 12);
                if (nextAux == 0) break;
                aux += (int)nextAux;
            }
            uint next = U32(elf, offset + 12);
            if (next == 0) break;
            offset += (int)next;
        }
        return result;
    }

    /// <summary>Names of the dynamic symbols that the library imports at the given version index.</summary>
    public static IReadOnlyList<string> SymbolsAtVersion(byte[] elf, ushort versionIndex)
    {
        var sections = ReadSections(elf);
        var dynsym = sections.First(s => s.Type == SectionTypeDynamicSymbols);
        var versym = sections.First(s => s.Type == SectionTypeVersionSymbols);
        var strings = sections[(int)dynsym.Link];
        int count = (int)(dynsym.Size / 24);
        var names = new List<string>();
        for (int i = 0; i < count; i++)
        {
            ushort version = (ushort)(U16(elf, (int)versym.Offset + (2 * i)) & 0x7fff);
            if (version != versionIndex) continue;
            uint nameOffset = U32(elf, (int)dynsym.Offset + (24 * i));
            names.Add(CString(elf, strings.Offset + nameOffset));
        }
        return names;
    }

    public static void MarkWeak(byte[] elf, VersionNeed need)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(need.FlagsOffset), (ushort)(need.Flags | WeakFlag));
    }

    private sealed record Section(uint Type, long Offset, long Size, uint Link);

    private static List<Section> ReadSections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        long sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        ushort entrySize = U16(elf, 0x3a);
        ushort count = U16(elf, 0x3c);
        var sections = new List<Section>(count);
        for (int i = 0; i < count; i++)
        {
            int at = (int)(sectionTable + (i * entrySize));
            sections.Add(new Section(
                U32(elf, at + 4),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(at + 0x18)),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(at + 0x20)),
                U32(elf, at + 0x28)));
        }
        return sections;
    }

    private static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));

    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));

    private static string CString(byte[] b, long at)
    {
        int start = (int)at;
        int end = Array.IndexOf(b, (byte)0, start);
        return Encoding.ASCII.GetString(b, start, end - start);
    }
}
