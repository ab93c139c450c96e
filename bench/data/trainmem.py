# Measures real per-GPU peak memory of single-GPU training steps of random-init Llama-architecture
# models (no weights downloaded), for Gantry's estimator error report.
import json, time, torch, gc, sys
from transformers import LlamaConfig, LlamaForCausalLM
def run(name, layers, hidden, heads, kv, ffn, vocab, micro, seq, ckpt, opt, mixed):
    torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
    cfg = LlamaConfig(num_hidden_layers=layers, hidden_size=hidden, num_attention_heads=heads,
        num_key_value_heads=kv, intermediate_size=ffn, vocab_size=vocab, max_position_embeddings=seq,
        tie_word_embeddings=False, attn_implementation="sdpa")
    dtype = torch.float32 if mixed else torch.bfloat16
    m = LlamaForCausalLM(cfg).to(device="cuda", dtype=dtype)
    if ckpt: m.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    m.config.use_cache = False
    params = sum(p.numel() for p in m.parameters())
    o = torch.optim.AdamW(m.parameters(), lr=1e-4, fused=True) if opt=="adamw" else torch.optim.SGD(m.parameters(), lr=1e-3)
    ids = torch.randint(0, vocab, (micro, seq), device="cuda")
    res = {}
    try:
        for step in range(3):
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=mixed):
                out = m(input_ids=ids, labels=ids)
            out.loss.backward(); o.step(); o.zero_grad(set_to_none=True)
        torch.cuda.synchronize()
        free, total = torch.cuda.mem_get_info()
        res = dict(ok=True, allocated=torch.cuda.max_memory_allocated(), reserved=torch.cuda.max_memory_reserved(), device_used_after=total-free, total=total)
    except torch.OutOfMemoryError as e:
        res = dict(ok=False, oom=True, msg=str(e)[:200])
    print(json.dumps(dict(name=name, layers=layers, hidden=hidden, heads=heads, kvHeads=kv, ffn=ffn, vocab=vocab, params=params, micro=micro, seq=seq, checkpointing=ckpt, optimizer=opt, precision="bf16-mixed" if mixed else "bf16", torch=torch.__version__, gpu=torch.cuda.get_device_name(), **res)))
    del m, o, ids; gc.collect(); torch.cuda.empty_cache()
# Llama-3.2-1B shape, Llama-3-8B-ish shape with fewer layers, etc.
run("llama-1b-shape mixed adamw mb4 s2048", 16, 2048, 32, 8, 8192, 128256, 4, 2048, False, "adamw", True)
run("llama-1b-shape mixed adamw mb4 s2048 ckpt", 16, 2048, 32, 8, 8192, 128256, 4, 2048, True, "adamw", True)
run("llama-1b-shape mixed adamw mb1 s4096", 16, 2048, 32, 8, 8192, 128256, 1, 4096, False, "adamw", True)
run("llama-1b-shape bf16 adamw mb8 s2048 ckpt", 16, 2048, 32, 8, 8192, 128256, 8, 2048, True, "adamw", False)
run("llama-3b-shape mixed adamw mb2 s2048 ckpt", 28, 3072, 24, 8, 8192, 128256, 2, 2048, True, "adamw", True)
run("llama-8b-8layer mixed adamw mb1 s4096", 8, 4096, 32, 8, 14336, 128256, 1, 4096, False, "adamw", True)
run("llama-8b-shape bf16 sgd mb1 s2048 ckpt", 32, 4096, 32, 8, 14336, 128256, 1, 2048, True, "sgd", False)
run("llama-8b-shape mixed adamw mb1 s2048 (expect OOM)", 32, 4096, 32, 8, 14336, 128256, 1, 2048, False, "adamw", True)
