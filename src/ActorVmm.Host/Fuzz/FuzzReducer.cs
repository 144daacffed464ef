namespace ActorVmm.Host.Fuzz;

/// <summary>
/// Shrinks a failing case while it keeps failing: first whole items (chunks, then one by one,
/// labels always kept so every branch still assembles), then initial values (each register,
/// HI, LO and the scratch words set to zero), so that what remains is what matters.
/// </summary>
public static class FuzzReducer
{
    public static FuzzCase Reduce(FuzzCase failing, Func<FuzzCase, bool> stillFails, int maxAttempts)
    {
        int attempts = 0;
        bool Try(FuzzCase candidate) => attempts++ < maxAttempts && stillFails(candidate);

        var current = failing;
        int chunk = Math.Max(1, current.InstructionItems / 2);
        while (attempts < maxAttempts)
        {
            bool progress = false;
            int start = 0;
            while (attempts < maxAttempts)
            {
                var positions = Enumerable.Range(start, Math.Max(0, current.Items.Count - start))
                    .Where(i => !current.Items[i].IsLabel).Take(chunk).ToHashSet();
                if (positions.Count == 0)
                {
                    break;
                }

                var candidate = current with { Items = [.. current.Items.Where((_, i) => !positions.Contains(i))] };
                if (Try(candidate))
                {
                    current = candidate;
                    progress = true;
                }
                else
                {
                    start = positions.Max() + 1;
                }
            }

            if (!progress)
            {
                if (chunk == 1)
                {
                    break;
                }

                chunk /= 2;
            }
        }

        var scratch = current.Scratch.ToArray();
        if (scratch.Any(w => w != 0))
        {
            var zeroed = current with { Scratch = new uint[scratch.Length] };
            if (Try(zeroed))
            {
                current = zeroed;
            }
            else
            {
                for (int i = 0; i < scratch.Length; i++)
                {
                    if (current.Scratch[i] != 0)
                    {
                        var words = current.Scratch.ToArray();
                        words[i] = 0;
                        var candidate = current with { Scratch = words };
                        if (Try(candidate))
                        {
                            current = candidate;
                        }
                    }
                }
            }
        }

        for (int i = 0; i < current.Registers.Count; i++)
        {
            if (current.Registers[i] != 0)
            {
                var values = current.Registers.ToArray();
                values[i] = 0;
                var candidate = current with { Registers = values };
                if (Try(candidate))
                {
                    current = candidate;
                }
            }
        }

        if (current.Hi != 0 && Try(current with { Hi = 0 }))
        {
            current = current with { Hi = 0 };
        }

        if (current.Lo != 0 && Try(current with { Lo = 0 }))
        {
            current = current with { Lo = 0 };
        }

        return current;
    }
}
