// MSBuild inline task (see IINR.Native.targets, which also ships in the IINR packages): marks the
// GLIBCXX_3.4.32 version need of libLibTorchSharp.so weak when the system libstdc++ does not provide
// that version, or always when asked (a weak need is harmless where the version exists).
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class IINRWeakenGlibcxxNeed : Task
{
    const string Version = "GLIBCXX_3.4.32";
    const ushort VerFlgWeak = 0x2;
    const uint ShtGnuVerneed = 0x6ffffffe;

    [Required]
    public string[] Directories { get; set; } = Array.Empty<string>();

    public bool Always { get; set; }

    public override bool Execute()
    {
        if (!Always && SystemHasVersion()) return true;
        foreach (var dir in Directories)
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var so in Directory.EnumerateFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    if (Patch(so))
                        Log.LogMessage(MessageImportance.High, $"IINR: marked {Version} weak in {so}" + (Always ? "." : " (the system libstdc++ lacks it)."));
                }
                catch (Exception e)
                {
                    Log.LogWarning($"IINR: could not patch {so}: {e.Message}");
                }
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemHasVersion()
    {
        string[] candidates =
        {
            "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib64/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(Version + "\0");
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) continue;
            var bytes = File.ReadAllBytes(path);
            return IndexOf(bytes, needle) >= 0;
        }
        return true; // no libstdc++ found where we look: leave the file alone
    }

    static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i <= hay.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    // Walks the ELF64 .gnu.version_r section; returns true when it changed the file.
    static bool Patch(string path)
    {
        var d = File.ReadAllBytes(path);
        if (d.Length < 64 || d[0] != 0x7f || d[1] != (byte)'E' || d[2] != (byte)'L' || d[3] != (byte)'F' || d[4] != 2 || d[5] != 1)
            return false; // not little-endian ELF64
        long shoff = BitConverter.ToInt64(d, 0x28);
        int shentsize = BitConverter.ToUInt16(d, 0x3A), shnum = BitConverter.ToUInt16(d, 0x3C);
        bool changed = false;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(d, (int)sh + 4) != ShtGnuVerneed) continue;
            long off = BitConverter.ToInt64(d, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(d, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(d, (int)sh + 44);
            long strtab = BitConverter.ToInt64(d, (int)(shoff + (long)link * shentsize) + 24);
            long vn = off;
            for (int n = 0; n < count; n++)
            {
                int vcnt = BitConverter.ToUInt16(d, (int)vn + 2);
                long a = vn + BitConverter.ToUInt32(d, (int)vn + 8);
                for (int k = 0; k < vcnt; k++)
                {
                    long name = strtab + BitConverter.ToUInt32(d, (int)a + 8);
                    int end = Array.IndexOf(d, (byte)0, (int)name);
                    string s = Encoding.ASCII.GetString(d, (int)name, end - (int)name);
                    ushort flags = BitConverter.ToUInt16(d, (int)a + 4);
                    if (s == Version && (flags & VerFlgWeak) == 0)
                    {
                        var f = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
                        d[a + 4] = f[0]; d[a + 5] = f[1];
                        changed = true;
                    }
                    a += BitConverter.ToUInt32(d, (int)a + 12);
                }
                vn += BitConverter.ToUInt32(d, (int)vn + 12);
            }
        }
        if (!changed) return false;
        // Write a new file and move it over, so a hard link into the package cache is never written through.
        var tmp = path + ".iinr-tmp";
        File.WriteAllBytes(tmp, d);
        File.Delete(path);
        File.Move(tmp, path);
        return true;
    }
}
