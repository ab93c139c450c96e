# Held-out measurements for the estimator, second set (issue 12): peak GPU memory AND step time of
# single-GPU training steps on an H200, for model shapes and settings that no estimator constant was
# set from and that bench/estimatorMeasure.py (the H100 set) did not cover: a head_dim that is not
# hidden/heads (Qwen3), fused qkv/gate_up projections (Phi-3), a mixture of experts (OLMoE), LoRA through
# PEFT, torch.compile, full multi-head attention with small vocabularies, a job at the edge of the card.
#
# Run on a GPU machine with PyTorch, transformers and peft (each row catches its own failure):
#   python3 bench/estimatorMeasureH200.py OUTDIR [SET]
# SET 1 (default) is bench/estimatorH200Heldout.jsonl (H2-*), SET 2 bench/estimatorH200Heldout2.jsonl (H3-*),
# SET 3 bench/estimatorH200Reserve.jsonl (H4-*, a reserve set; evaluated once, 2026-12-06).
# Writes OUTDIR/h200-training.jsonl (one line per row) and, from one long-lived nvidia-smi query that
# runs beside it, OUTDIR/h200-stream-arrivals.tsv (ms since start TAB the CSV line as received), plus
# OUTDIR/h200-list.txt and OUTDIR/h200-version.txt. Rows start and end on the same clock (t0_ms, t1_ms).
import json, gc, os, sys, time, subprocess, threading, statistics, traceback

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(OUT, exist_ok=True)
T0 = time.monotonic()
BUDGET_S = float(os.environ.get("MEASURE_BUDGET_S", "400"))


def ms():
    return round((time.monotonic() - T0) * 1000)


def sh(argv, path):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        text = r.stdout + r.stderr
    except Exception as e:  # no nvidia-smi: say so in the file
        text = f"{type(e).__name__}: {e}\n"
    with open(os.path.join(OUT, path), "w") as f:
        f.write(text)


sh(["nvidia-smi", "-L"], "h200-list.txt")
sh(["nvidia-smi", "--version"], "h200-version.txt")

STREAM_FIELDS = "timestamp,index,uuid,name,utilization.gpu,utilization.memory,memory.used,memory.total,power.draw,power.limit,temperature.gpu,temperature.memory,clocks.sm,clocks.mem,clocks_event_reasons.active,pstate,fan.speed"
stream_file = open(os.path.join(OUT, "h200-stream-arrivals.tsv"), "w")


STREAM = []


def stream():
    try:
        p = subprocess.Popen(["nvidia-smi", f"--query-gpu={STREAM_FIELDS}", "--format=csv,noheader,nounits", "-lms", "500"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except Exception as e:
        stream_file.write(f"{ms()}\t{type(e).__name__}: {e}\n")
        return
    STREAM.append(p)
    for line in p.stdout:
        stream_file.write(f"{ms()}\t{line.rstrip()}\n")
        stream_file.flush()


threading.Thread(target=stream, daemon=True).start()

import torch
import transformers

rows = open(os.path.join(OUT, "h200-training.jsonl"), "w")
ENV = dict(torch=torch.__version__, transformers=transformers.__version__, cuda=torch.version.cuda, gpu=torch.cuda.get_device_name(), total=torch.cuda.mem_get_info()[1], free_at_start=torch.cuda.mem_get_info()[0])
try:
    import peft
    ENV["peft"] = peft.__version__
except Exception:
    pass
print(json.dumps(ENV), flush=True)


def event_ms(fn):
    a = torch.cuda.Event(enable_timing=True)
    b = torch.cuda.Event(enable_timing=True)
    a.record()
    fn()
    b.record()
    torch.cuda.synchronize()
    return a.elapsed_time(b)


def run(name, cls_name, cfg, micro, seq, ckpt, opt, mixed, accum=1, attn="sdpa", lora=None, compile_=False, warm=2, timed=5, need_s=40):
    if time.monotonic() - T0 + need_s > BUDGET_S:
        print(json.dumps(dict(name=name, skipped="time budget")), flush=True)
        return
    gc.collect(); torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
    row = dict(name=name, cls=cls_name, cfg=cfg, micro=micro, seq=seq, checkpointing=ckpt, optimizer=opt, precision="bf16-mixed" if mixed else "bf16", accum=accum, attn=attn, lora=lora, compile=compile_, t0_ms=ms())
    m = o = ids = None
    try:
        conf_cls = getattr(transformers, cls_name + "Config")
        model_cls = getattr(transformers, cls_name + "ForCausalLM")
        c = conf_cls(**cfg, attn_implementation=attn)
        # Built directly on the GPU in its training dtype (fast random init; no conversion spike).
        base_dtype = torch.bfloat16 if (lora or not mixed) else torch.float32
        torch.set_default_dtype(base_dtype)
        with torch.device("cuda"):
            m = model_cls(c)
        torch.set_default_dtype(torch.float32)
        m.config.use_cache = False
        row["params"] = sum(p.numel() for p in m.parameters())
        if lora:
            from peft import LoraConfig, get_peft_model
            m = get_peft_model(m, LoraConfig(r=lora, lora_alpha=2 * lora, lora_dropout=0.0, target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
            row["trainable"] = sum(p.numel() for p in m.parameters() if p.requires_grad)
            row["adapter_dtype"] = str(next(p.dtype for p in m.parameters() if p.requires_grad))
        if ckpt:
            m.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        m.train()
        torch.cuda.reset_peak_memory_stats()
        trainable = [p for p in m.parameters() if p.requires_grad]
        if opt == "adamw-fused": o = torch.optim.AdamW(trainable, lr=1e-5, fused=True)
        elif opt == "adamw-foreach": o = torch.optim.AdamW(trainable, lr=1e-5, foreach=True)
        else: o = torch.optim.SGD(trainable, lr=1e-4, momentum=0.9)
        fwd = torch.compile(m) if compile_ else m
        ids = torch.randint(0, cfg["vocab_size"], (micro, seq), device="cuda")

        def step():
            for _ in range(accum):
                with torch.autocast("cuda", dtype=torch.bfloat16, enabled=mixed or bool(lora)):
                    out = fwd(input_ids=ids, labels=ids)
                (out.loss / accum).backward()
                del out
            o.step(); o.zero_grad(set_to_none=True)

        t = time.monotonic()
        for _ in range(warm):
            step()
        torch.cuda.synchronize()
        row["warmup_s"] = round(time.monotonic() - t, 2)
        times = [event_ms(step) for _ in range(timed)]
        tokens = micro * seq * accum
        med = statistics.median(times)
        row.update(ok=True, allocated=torch.cuda.max_memory_allocated(), reserved=torch.cuda.max_memory_reserved(), step_ms=[round(x, 2) for x in times], step_ms_median=round(med, 2), tokens_per_step=tokens, tokens_per_s=round(tokens / (med / 1000), 1))
    except torch.OutOfMemoryError as e:
        row.update(ok=False, oom=True, msg=str(e)[:300])
    except Exception as e:
        row.update(ok=False, error=f"{type(e).__name__}: {str(e)[:300]}", tb=traceback.format_exc()[-800:])
    row["t1_ms"] = ms()
    row.update(ENV)
    line = json.dumps(row)
    print(line, flush=True)
    rows.write(line + "\n"); rows.flush()
    del m, o, ids
    torch.set_default_dtype(torch.float32)
    gc.collect(); torch.cuda.empty_cache()


L32 = dict(num_hidden_layers=28, hidden_size=3072, num_attention_heads=24, num_key_value_heads=8, intermediate_size=8192, vocab_size=128256, tie_word_embeddings=True, max_position_embeddings=8192, rope_theta=500000.0)
M7 = dict(num_hidden_layers=32, hidden_size=4096, num_attention_heads=32, num_key_value_heads=8, intermediate_size=14336, vocab_size=32768, tie_word_embeddings=False, max_position_embeddings=8192, sliding_window=None)
Q3_4 = dict(num_hidden_layers=36, hidden_size=2560, num_attention_heads=32, num_key_value_heads=8, head_dim=128, intermediate_size=9728, vocab_size=151936, tie_word_embeddings=True, max_position_embeddings=8192)
P3 = dict(num_hidden_layers=32, hidden_size=3072, num_attention_heads=32, num_key_value_heads=32, intermediate_size=8192, vocab_size=32064, tie_word_embeddings=False, max_position_embeddings=8192, pad_token_id=32000, bos_token_id=1, eos_token_id=32000)
S17 = dict(num_hidden_layers=24, hidden_size=2048, num_attention_heads=32, num_key_value_heads=32, intermediate_size=8192, vocab_size=49152, tie_word_embeddings=True, max_position_embeddings=8192)
OLMOE = dict(num_hidden_layers=16, hidden_size=2048, num_attention_heads=16, num_key_value_heads=16, intermediate_size=1024, num_experts=64, num_experts_per_tok=8, vocab_size=50304, tie_word_embeddings=False, max_position_embeddings=4096, output_router_logits=False, pad_token_id=1, eos_token_id=50279)
L8 = dict(num_hidden_layers=32, hidden_size=4096, num_attention_heads=32, num_key_value_heads=8, intermediate_size=14336, vocab_size=128256, tie_word_embeddings=False, max_position_embeddings=8192, rope_theta=500000.0)
Q25_7 = dict(num_hidden_layers=28, hidden_size=3584, num_attention_heads=28, num_key_value_heads=4, intermediate_size=18944, vocab_size=152064, tie_word_embeddings=False, max_position_embeddings=8192)
Q25_3 = dict(num_hidden_layers=36, hidden_size=2048, num_attention_heads=16, num_key_value_heads=2, intermediate_size=11008, vocab_size=151936, tie_word_embeddings=True, max_position_embeddings=8192)
NEOX14 = dict(num_hidden_layers=24, hidden_size=2048, num_attention_heads=16, intermediate_size=8192, vocab_size=50304, tie_word_embeddings=False, max_position_embeddings=4096, rotary_pct=0.25, use_parallel_residual=True)
MIX7 = dict(num_hidden_layers=24, hidden_size=2048, num_attention_heads=16, num_key_value_heads=8, intermediate_size=5632, num_local_experts=8, num_experts_per_tok=2, vocab_size=32000, tie_word_embeddings=False, max_position_embeddings=8192, output_router_logits=False, sliding_window=None)
Q25_14 = dict(num_hidden_layers=48, hidden_size=5120, num_attention_heads=40, num_key_value_heads=8, intermediate_size=13824, vocab_size=152064, tie_word_embeddings=False, max_position_embeddings=8192)
Q3_8 = dict(num_hidden_layers=36, hidden_size=4096, num_attention_heads=32, num_key_value_heads=8, head_dim=128, intermediate_size=12288, vocab_size=151936, tie_word_embeddings=False, max_position_embeddings=8192)
Q25_15 = dict(num_hidden_layers=28, hidden_size=1536, num_attention_heads=12, num_key_value_heads=2, intermediate_size=8960, vocab_size=151936, tie_word_embeddings=True, max_position_embeddings=8192)
Q3_17 = dict(num_hidden_layers=28, hidden_size=2048, num_attention_heads=16, num_key_value_heads=8, head_dim=128, intermediate_size=6144, vocab_size=151936, tie_word_embeddings=True, max_position_embeddings=8192)
NEOX28 = dict(num_hidden_layers=32, hidden_size=2560, num_attention_heads=32, intermediate_size=10240, vocab_size=50304, tie_word_embeddings=False, max_position_embeddings=4096, rotary_pct=0.25, use_parallel_residual=True)
L1 = dict(num_hidden_layers=16, hidden_size=2048, num_attention_heads=32, num_key_value_heads=8, intermediate_size=8192, vocab_size=128256, tie_word_embeddings=True, max_position_embeddings=8192, rope_theta=500000.0)

SET = sys.argv[2] if len(sys.argv) > 2 else "1"
if SET == "1":  # H2-*: measured 2026-12-04, evaluated once
    run("llama3.2-3b-shape mixed adamw-fused mb4 s2048", "Llama", L32, 4, 2048, False, "adamw-fused", True)
    run("mistral-7b-shape bf16 adamw-fused mb2 s4096 ckpt", "Mistral", M7, 2, 4096, True, "adamw-fused", False)
    run("qwen3-4b-shape mixed adamw-fused mb2 s4096 ckpt", "Qwen3", Q3_4, 2, 4096, True, "adamw-fused", True)
    run("phi3-mini-shape mixed adamw-foreach mb2 s4096", "Phi3", P3, 2, 4096, False, "adamw-foreach", True)
    run("smollm2-1.7b-shape mixed adamw-fused mb16 s2048 ckpt", "Llama", S17, 16, 2048, True, "adamw-fused", True)
    run("llama3.1-8b-shape lora r16 bf16 base mb4 s4096 ckpt", "Llama", L8, 4, 4096, True, "adamw-fused", False, lora=16)
    run("olmoe-1b-7b-shape bf16 adamw-fused mb2 s4096 ckpt", "Olmoe", OLMOE, 2, 4096, True, "adamw-fused", False, need_s=60)
    run("qwen2.5-7b-shape mixed adamw-fused mb1 s2048 ckpt (at the card's edge)", "Qwen2", Q25_7, 1, 2048, True, "adamw-fused", True)
    run("llama3.2-1b-shape mixed adamw-fused mb8 s2048 torch.compile", "Llama", L1, 8, 2048, False, "adamw-fused", True, compile_=True, warm=3, need_s=150)
if SET == "2":  # H3-*: measured before any formula change made after H2-* was evaluated; held out from those changes
    run("llama3.1-8b-shape bf16 adamw-fused mb1 s8192 ckpt", "Llama", L8, 1, 8192, True, "adamw-fused", False)
    run("qwen2.5-3b-shape mixed adamw-foreach mb4 s4096 ckpt accum2", "Qwen2", Q25_3, 4, 4096, True, "adamw-foreach", True, accum=2)
    run("pythia-1.4b-shape mixed adamw-fused mb8 s2048", "GPTNeoX", NEOX14, 8, 2048, False, "adamw-fused", True)
    run("mixtral-shape-6.9b (MoE 8x top-2) bf16 adamw-fused mb2 s4096 ckpt", "Mixtral", MIX7, 2, 4096, True, "adamw-fused", False, need_s=60)
    run("qwen2.5-14b-shape lora r64 bf16 base mb2 s2048 ckpt", "Qwen2", Q25_14, 2, 2048, True, "adamw-fused", False, lora=64)
    run("llama3.2-1b-shape mixed adamw-fused mb2 s4096 eager attention", "Llama", L1, 2, 4096, False, "adamw-fused", True, attn="eager")
    run("qwen3-8b-shape mixed adamw-fused mb1 s2048 ckpt (near capacity)", "Qwen3", Q3_8, 1, 2048, True, "adamw-fused", True)
    run("qwen2.5-1.5b-shape mixed adamw-fused mb8 s4096 ckpt torch.compile", "Qwen2", Q25_15, 8, 4096, True, "adamw-fused", True, compile_=True, warm=3, need_s=150)
if SET == "3":  # H4-*: a reserve set, measured 2026-12-04, kept out of every printed figure until its one evaluation (2026-12-06)
    run("qwen3-1.7b-shape bf16 adamw-fused mb8 s2048", "Qwen3", Q3_17, 8, 2048, False, "adamw-fused", False)
    run("llama3.2-3b-shape bf16 adamw-foreach mb4 s4096 ckpt", "Llama", L32, 4, 4096, True, "adamw-foreach", False)
    run("mistral-7b-shape mixed adamw-fused mb1 s4096 ckpt", "Mistral", M7, 1, 4096, True, "adamw-fused", True)
    run("phi3-mini-shape bf16 sgd-momentum mb4 s2048", "Phi3", P3, 4, 2048, False, "sgd", False)
    run("qwen2.5-7b-shape lora r8 bf16 base mb8 s2048 ckpt", "Qwen2", Q25_7, 8, 2048, True, "adamw-fused", False, lora=8)
    run("mixtral-shape-6.9b (MoE 8x top-2) mixed adamw-fused mb1 s4096 ckpt", "Mixtral", MIX7, 1, 4096, True, "adamw-fused", True, need_s=60)
    run("pythia-2.8b-shape bf16 adamw-fused mb4 s2048 ckpt accum4", "GPTNeoX", NEOX28, 4, 2048, True, "adamw-fused", False, accum=4)
    run("llama3.1-8b-shape mixed sgd-momentum mb1 s4096 ckpt", "Llama", L8, 1, 4096, True, "sgd", True)
    run("llama3.2-1b-shape mixed adamw-fused mb2 s2048 eager attention ckpt", "Llama", L1, 2, 2048, True, "adamw-fused", True, attn="eager")
time.sleep(1.5)
print(json.dumps(dict(done_ms=ms())), flush=True)
stream_file.flush()
for p in STREAM:
    p.terminate()
os._exit(0)
