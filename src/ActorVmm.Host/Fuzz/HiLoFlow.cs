namespace ActorVmm.Host.Fuzz;

/// <summary>
/// Forward data flow over a case's items: is HI (LO) defined on every path that reaches a
/// point? MUL leaves both UNPREDICTABLE, so a later MFHI, MADD or the final dump must not
/// see them unless something wrote them again on every path. The generator asks before
/// it emits a reader; the reducer checks every candidate, since deleting a MULT can expose
/// a MUL's leftovers.
/// </summary>
public sealed class HiLoFlow
{
    private readonly Dictionary<string, (bool Hi, bool Lo)> _pending = new(StringComparer.Ordinal);

    // null: this point is unreachable (after an unconditional jump, before its label).
    private (bool Hi, bool Lo)? _current = (true, true);

    public bool HiDefined => _current?.Hi ?? true;

    public bool LoDefined => _current?.Lo ?? true;

    /// <summary>Whether <paramref name="item"/> would read only defined values here.</summary>
    public bool CanExecute(FuzzItem item) => item.HiLo switch
    {
        HiLoEffect.ReadsHi => HiDefined,
        HiLoEffect.ReadsLo => LoDefined,
        HiLoEffect.ReadsWritesBoth => HiDefined && LoDefined,
        _ => true,
    };

    public void Apply(FuzzItem item)
    {
        if (item.Label is { } label)
        {
            if (_pending.Remove(label, out var taken))
            {
                _current = _current is { } fall ? (fall.Hi && taken.Hi, fall.Lo && taken.Lo) : taken;
            }

            return;
        }

        if (_current is { } s)
        {
            var after = item.HiLo switch
            {
                HiLoEffect.WritesBoth or HiLoEffect.ReadsWritesBoth => (true, true),
                HiLoEffect.WritesHi => (true, s.Lo),
                HiLoEffect.WritesLo => (s.Hi, true),
                HiLoEffect.Clobbers => (false, false),
                _ => s,
            };

            // A likely branch's delay slot runs on the taken path only; the not-taken path
            // keeps the state before it. Both paths get what is defined on both (conservative).
            _current = item.Likely ? (s.Hi && after.Item1, s.Lo && after.Item2) : after;
        }

        if (item.Target is { } target && _current is { } now)
        {
            _pending[target] = _pending.TryGetValue(target, out var other) ? (other.Hi && now.Hi, other.Lo && now.Lo) : now;
            if (item.Unconditional)
            {
                _current = null;
            }
        }
    }

    /// <summary>Checks a whole item list; <paramref name="hiDefined"/>/<paramref name="loDefined"/>
    /// tell whether the dump at the end may read HI/LO as they are.</summary>
    public static bool Check(IEnumerable<FuzzItem> items, out bool hiDefined, out bool loDefined)
    {
        var flow = new HiLoFlow();
        bool ok = true;
        foreach (var item in items)
        {
            ok &= flow.CanExecute(item);
            flow.Apply(item);
        }

        // Branches whose label was removed or never placed reach the end.
        foreach (var taken in flow._pending.Values)
        {
            flow._current = flow._current is { } fall ? (fall.Hi && taken.Hi, fall.Lo && taken.Lo) : taken;
        }

        hiDefined = flow.HiDefined;
        loDefined = flow.LoDefined;
        return ok;
    }
}
