import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def runs = new File(basedir, 'target/reasonrl')
def json = new JsonSlurper()

// The parameters reached the spec: the advantage from its property, the rest from the pom.
def ppoRun = json.parse(new File(runs, 'ppo/run.json'))
assert ppoRun.goal == 'ppo'
assert ppoRun.status == 'finished'
def config = ppoRun.config
assert config.advantage == 'grpo' && config.reward == 'sparse'
assert config.iterations == 2 && config.questionsPerIteration == 4
assert config.rollout.k == 2 && config.rollout.maxNewTokens == 16
assert config.loss.epochs == 2 && config.loss.clipLow == 0.2 && config.loss.clipHigh == 0.28
assert config.kl.estimator == 'k3' && config.kl.placement == 'loss'
assert config.optimization.steps == 2 && config.optimization.batchSize == 4
assert config.eval.k == 2 && config.evalProblems == 4

// One metrics record per iteration, with the rollouts' reward and the KL to the reference.
def metrics = new File(runs, 'ppo/metrics.jsonl').readLines().collect { json.parseText(it) }
assert metrics.size() == 2
metrics.each {
  assert it.stats.containsKey('reward/mean') && it.stats.containsKey('kl/reference')
}
assert metrics[1].stats.rollouts == 2 * 4 * 2

// evalEvery 0: the final policy only.
def curve = new File(runs, 'ppo/curve.jsonl').readLines().collect { json.parseText(it) }
assert curve*.iteration == [2]
assert curve[0].rollouts == 16 && curve[0].k == 2

def result = json.parse(new File(runs, 'ppo/result.json'))
assert result.iterations == 2 && result.rollouts == 16 && !result.stopped
assert result.finalModel =~ /ppo\/model\/?$/
['config.json', 'model.safetensors', 'tokenizer.json'].each {
  assert new File(runs, "ppo/model/$it").isFile() : "ppo/model/$it missing"
}
assert json.parse(new File(runs, 'ppo/model/config.json')).hidden_size == 32
assert log.contains('Trained 2 iterations on 16 rollouts; policy: ')
assert !log.contains('ppo ignores')
assert log.contains('BUILD SUCCESS')
return true
