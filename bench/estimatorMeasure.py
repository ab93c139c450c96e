# Held-out measurements for the estimator (not used to set any constant): peak GPU memory of
# single-GPU training steps of random-init models whose shapes and settings differ from
# bench/data/h100-training-memory.jsonl (tied embeddings, other vocabularies, foreach AdamW,
# gradient accumulation, GPT-2 with dropout and eager attention, an expected OOM).
import json, gc, sys, torch
from transformers import LlamaConfig, LlamaForCausalLM, GPT2Config, GPT2LMHeadModel, Qwen2Config, Qwen2ForCausalLM

def run(name, kind, cfg, micro, seq, ckpt, opt, mixed, accum=1, attn="sdpa"):
    torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
    res = {}
    m = o = ids = None
    try:
        cls = {"llama": (LlamaConfig, LlamaForCausalLM), "gpt2": (GPT2Config, GPT2LMHeadModel), "qwen2": (Qwen2Config, Qwen2ForCausalLM)}[kind]
        c = cls[0](**cfg, attn_implementation=attn)
        # Built directly on the GPU in its training dtype (fast random init; no conversion spike).
        torch.set_default_dtype(torch.float32 if mixed else torch.bfloat16)
        with torch.device("cuda"):
            m = cls[1](c)
        torch.set_default_dtype(torch.float32)
        torch.cuda.reset_peak_memory_stats()
        if ckpt: m.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        m.config.use_cache = False
        m.train()
        params = sum(p.numel() for p in m.parameters())
        if opt == "adamw-fused": o = torch.optim.AdamW(m.parameters(), lr=1e-4, fused=True)
        elif opt == "adamw-foreach": o = torch.optim.AdamW(m.parameters(), lr=1e-4, foreach=True)
        else: o = torch.optim.SGD(m.parameters(), lr=1e-3, momentum=0.9)
        vocab = cfg["vocab_size"]
        ids = torch.randint(0, vocab, (micro, seq), device="cuda")
        for step in range(2):
            for _ in range(accum):
                with torch.autocast("cuda", dtype=torch.bfloat16, enabled=mixed):
                    out = m(input_ids=ids, labels=ids)
                (out.loss / accum).backward()
                del out
            o.step(); o.zero_grad(set_to_none=True)
        torch.cuda.synchronize()
        res = dict(ok=True, params=params, allocated=torch.cuda.max_memory_allocated(), reserved=torch.cuda.max_memory_reserved())
    except torch.OutOfMemoryError as e:
        res = dict(ok=False, oom=True, msg=str(e)[:160])
    print(json.dumps(dict(name=name, kind=kind, cfg=cfg, micro=micro, seq=seq, checkpointing=ckpt, optimizer=opt, precision="bf16-mixed" if mixed else "bf16", accum=accum, attn=attn, torch=torch.__version__, gpu=torch.cuda.get_device_name(), total=torch.cuda.mem_get_info()[1], **res)), flush=True)
    del m, o, ids; gc.collect(); torch.cuda.empty_cache()

Q05 = dict(num_hidden_layers=24, hidden_size=896, num_attention_heads=14, num_key_value_heads=2, intermediate_size=4864, vocab_size=151936, tie_word_embeddings=True, max_position_embeddings=4096)
Q15 = dict(num_hidden_layers=28, hidden_size=1536, num_attention_heads=12, num_key_value_heads=2, intermediate_size=8960, vocab_size=151936, tie_word_embeddings=True, max_position_embeddings=4096)
L1 = dict(num_hidden_layers=16, hidden_size=2048, num_attention_heads=32, num_key_value_heads=8, intermediate_size=8192, vocab_size=32000, tie_word_embeddings=False, max_position_embeddings=4096)
G2M = dict(n_layer=24, n_embd=1024, n_head=16, vocab_size=50257, n_positions=1024)
L8 = dict(num_hidden_layers=32, hidden_size=4096, num_attention_heads=32, num_key_value_heads=8, intermediate_size=14336, vocab_size=128256, tie_word_embeddings=False, max_position_embeddings=4096)
run("qwen2.5-0.5b-shape mixed adamw-foreach mb8 s1024", "qwen2", Q05, 8, 1024, False, "adamw-foreach", True)
run("qwen2.5-1.5b-shape bf16 adamw-fused mb4 s2048 ckpt", "qwen2", Q15, 4, 2048, True, "adamw-fused", False)
run("llama-1b-32k-vocab mixed adamw-fused mb2 s2048 accum2", "llama", L1, 2, 2048, False, "adamw-fused", True, accum=2)
run("gpt2-medium-shape mixed adamw-fused mb8 s1024 eager", "gpt2", G2M, 8, 1024, False, "adamw-fused", True, attn="eager")
run("llama-1b-32k-vocab bf16 sgd-momentum mb4 s4096 ckpt", "llama", L1, 4, 4096, True, "sgd", False)
run("llama-8b-shape mixed adamw-fused mb1 s2048 (expect OOM)", "llama", L8, 1, 2048, False, "adamw-fused", True)
