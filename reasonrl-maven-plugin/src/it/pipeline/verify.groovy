import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def runs = new File(basedir, 'target/reasonrl')
def json = new JsonSlurper()

// pretrain: a Hugging Face checkpoint with its tokenizer, and a record of the run.
def model = new File(runs, 'pretrain/model')
['config.json', 'model.safetensors', 'tokenizer.json', 'generation_config.json'].each {
  assert new File(model, it).isFile() : "pretrain/model/$it missing"
}
assert json.parse(new File(model, 'config.json')).hidden_size == 32
def pretrainRun = json.parse(new File(runs, 'pretrain/run.json'))
assert pretrainRun.goal == 'pretrain'
assert pretrainRun.status == 'finished'
assert new File(runs, 'pretrain/metrics.jsonl').readLines().size() == 4
assert log.contains('Pretrained model: ')
assert log =~ /pretrain 20\/20 steps/

// sft: validations at steps 0, 10 and 20 with maj@1 and pass@2, the best model kept.
def validations = new File(runs, 'sft/validation.jsonl').readLines().collect { json.parseText(it) }
assert validations*.step == [0, 10, 20]
validations.each { assert it.maj1 >= 0 && it.maj1 <= 1 && it.passAtK >= 0 && it.passAtK <= 1 }
assert validations[2].validationLoss < validations[0].validationLoss
['config.json', 'model.safetensors', 'tokenizer.json'].each {
  assert new File(runs, "sft/best/$it").isFile() : "sft/best/$it missing"
  assert new File(runs, "sft/model/$it").isFile() : "sft/model/$it (the published model) missing"
}
def sftRun = json.parse(new File(runs, 'sft/run.json'))
assert sftRun.goal == 'sft'
assert sftRun.status == 'finished'
assert sftRun.config.validationProblems == 8
assert sftRun.config.validation.k == 2
assert log.contains('Best SFT model (validation maj@1 ')
assert log =~ /sft validation step 20 \(epoch [0-9.]+\): loss [0-9.]+ maj@1/
// orm: a loadable ORM (model + reward head) and held-out metrics.
['config.json', 'model.safetensors', 'reward_head.safetensors'].each {
  assert new File(runs, "orm/model/$it").isFile() : "orm/model/$it missing"
}
def orm = json.parse(new File(runs, 'orm/result.json'))
assert orm.toString().contains('auc') || orm.toString().contains('brier')

// ei: one round (sampled, filtered, fine-tuned, evaluated) and its control, each with a model.
def round1 = json.parse(new File(runs, 'ei/round-1/round.json'))
assert round1.round == 1
assert round1.rollouts == 8 * 2
assert round1.kept >= 1 && round1.datasetSize >= round1.kept
assert round1.fineTuneSteps == 4
assert round1.eval.problems == 4
['round-1/model', 'control-1/model'].each { dir ->
  ['config.json', 'model.safetensors', 'tokenizer.json'].each {
    assert new File(runs, "ei/$dir/$it").isFile() : "ei/$dir/$it missing"
  }
}
def ei = json.parse(new File(runs, 'ei/result.json'))
assert ei.rounds*.round == [1]
assert ei.controls*.round == [1]
assert ei.finalModel =~ /ei\/model\/?$/
assert new File(runs, 'ei/ei.jsonl').isFile()
def eiRun = json.parse(new File(runs, 'ei/run.json'))
assert eiRun.goal == 'ei'
assert eiRun.config.rollout.k == 2 && eiRun.config.ormThreshold == 0
assert log =~ /EI round 1: 16 rollouts/
assert log.contains('EI_1 model: ')

// eval with ORM reranking: the four metrics, and one line per generated solution.
// (written to the goal's default output, target/reasonrl/eval)
def eval = json.parse(new File(runs, 'eval/eval.json'))
def evalRun = json.parse(new File(runs, 'eval/run.json'))
assert evalRun.goal == 'eval' && evalRun.status == 'finished'
assert json.parse(new File(runs, 'eval/spec.json')).goal == 'eval'
assert eval.result.problems == 8
['maj1', 'majAtK', 'rerankAtK', 'passAtK'].each {
  assert eval.result[it].value >= 0 && eval.result[it].value <= 1 : "$it missing"
  assert eval.result[it].ciLow <= eval.result[it].value && eval.result[it].value <= eval.result[it].ciHigh
}
assert new File(runs, 'eval/samples.jsonl').readLines().size() == 8 * (1 + 3)
assert log =~ /maj@1 [0-9.]+ \[[0-9.]+, [0-9.]+\]  maj@2/

// The engine started (and said so) for the goals that compute; the report IT relies on this line.
assert log.contains('Number of intra-op threads is 1')

// report: the evaluation as a table row.
def report = new File(runs, 'report.html').text
assert report.contains('<td class="label">SFT</td>')
assert log.contains('BUILD SUCCESS')
return true
