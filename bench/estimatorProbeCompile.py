# Where torch.compile changes a training step's memory (issue 12; examined data, not held out): two
# held-out H200 rows with torch.compile (H2-09, H3-08) came out 17-69 % over. This probe measures, on an
# H200, the logits-and-loss bytes per logit element in eager and compiled form (HF's loss: upcast to fp32,
# cross-entropy), and the memory at each phase of a step (after forward, peak in backward, peak at the
# optimizer step) of one model shape, eager and compiled, with and without full checkpointing.
#   python3 bench/estimatorProbeCompile.py OUTDIR   → OUTDIR/compile-probe.jsonl
import json, gc, os, sys, time, traceback
import torch
import torch.nn.functional as F
import transformers

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
rows = open(os.path.join(OUT, "compile-probe.jsonl"), "w")


def emit(d):
    d.update(torch=torch.__version__, transformers=transformers.__version__, gpu=torch.cuda.get_device_name())
    line = json.dumps(d)
    print(line, flush=True)
    rows.write(line + "\n"); rows.flush()


def ce(x, y):
    return F.cross_entropy(x.float(), y)


def loss_probe(T, V, compiled):
    gc.collect(); torch.cuda.empty_cache()
    x = torch.randn(T, V, device="cuda", dtype=torch.bfloat16, requires_grad=True)
    y = torch.randint(0, V, (T,), device="cuda")
    fn = torch.compile(ce) if compiled else ce
    for _ in range(2):
        fn(x, y).backward(); x.grad = None
    torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    loss = fn(x, y)
    after_fwd = torch.cuda.memory_allocated() - base
    peak_fwd = torch.cuda.max_memory_allocated() - base
    torch.cuda.reset_peak_memory_stats()
    loss.backward()
    peak_bwd = torch.cuda.max_memory_allocated() - base
    n = T * V
    emit(dict(probe="loss", T=T, V=V, compiled=compiled, bytes_per_elem_after_fwd=round(after_fwd / n, 3), bytes_per_elem_peak_fwd=round(peak_fwd / n, 3), bytes_per_elem_peak_bwd=round(peak_bwd / n, 3), note="above the bf16 logits (2 B/elem) themselves; grad kept in x.grad"))
    del x, y, loss


def step_probe(name, cfg, micro, seq, ckpt, compiled):
    gc.collect(); torch.cuda.empty_cache()
    m = o = ids = None
    try:
        c = transformers.LlamaConfig(**cfg, attn_implementation="sdpa")
        with torch.device("cuda"):
            m = transformers.LlamaForCausalLM(c)
        m.config.use_cache = False
        if ckpt: m.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        m.train()
        o = torch.optim.AdamW(m.parameters(), lr=1e-5, fused=True)
        fwd = torch.compile(m) if compiled else m
        ids = torch.randint(0, cfg["vocab_size"], (micro, seq), device="cuda")

        def step(record):
            r = {}
            torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
            base = torch.cuda.memory_allocated()
            with torch.autocast("cuda", dtype=torch.bfloat16):
                out = fwd(input_ids=ids, labels=ids)
            torch.cuda.synchronize()
            r.update(base=base, after_fwd=torch.cuda.memory_allocated(), peak_fwd=torch.cuda.max_memory_allocated())
            torch.cuda.reset_peak_memory_stats()
            out.loss.backward(); del out
            torch.cuda.synchronize()
            r.update(peak_bwd=torch.cuda.max_memory_allocated(), after_bwd=torch.cuda.memory_allocated())
            torch.cuda.reset_peak_memory_stats()
            o.step(); o.zero_grad(set_to_none=True)
            torch.cuda.synchronize()
            r.update(peak_step=torch.cuda.max_memory_allocated(), after_step=torch.cuda.memory_allocated())
            return r

        step(False); step(False)
        r = step(True)
        emit(dict(probe="step", name=name, cfg=cfg, micro=micro, seq=seq, checkpointing=ckpt, compiled=compiled, params=sum(p.numel() for p in m.parameters()), **r))
    except Exception as e:
        emit(dict(probe="step", name=name, error=f"{type(e).__name__}: {str(e)[:300]}", tb=traceback.format_exc()[-600:]))
    del m, o, ids
    gc.collect(); torch.cuda.empty_cache()


t0 = time.monotonic()
for compiled in (False, True):
    loss_probe(16384, 128256, compiled)
L1 = dict(num_hidden_layers=16, hidden_size=2048, num_attention_heads=32, num_key_value_heads=8, intermediate_size=8192, vocab_size=128256, tie_word_embeddings=True, max_position_embeddings=8192, rope_theta=500000.0)
for ckpt in (False, True):
    for compiled in (False, True):
        step_probe("llama3.2-1b-shape mixed adamw-fused mb8 s2048", L1, 8, 2048, ckpt, compiled)
emit(dict(done_s=round(time.monotonic() - t0, 1)))
os._exit(0)
