from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_agency_contact_details'),
    ]

    operations = [
        migrations.AddField(model_name='agency', name='review_body', field=models.CharField(blank=True, help_text='答复书告知申请人向哪个机关申请行政复议。依照2023年修订的《中华人民共和国行政复议法》，县级以上地方各级人民政府工作部门的行政复议机关为本级人民政府（如“示范区人民政府”）；海关、金融、外汇管理等实行垂直领导的行政机关和税务、国家安全机关，为其上一级主管部门。留空则文书只写“依法申请行政复议”。', max_length=100, verbose_name='行政复议机关')),
        migrations.AddField(model_name='agency', name='competent_court', field=models.CharField(blank=True, help_text='答复书告知申请人向哪个法院提起行政诉讼，如“示范区人民法院”。留空则文书只写“向人民法院提起行政诉讼”。', max_length=100, verbose_name='管辖法院')),
    ]
