from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_agency_fee_pauses_reply_clock_and_sign_off_chains'),
    ]

    operations = [
        migrations.AddField(model_name='agency', name='address', field=models.CharField(blank=True, max_length=200, verbose_name='办公地址')),
        migrations.AddField(model_name='agency', name='postcode', field=models.CharField(blank=True, max_length=6, verbose_name='邮政编码')),
        migrations.AddField(model_name='agency', name='office_hours', field=models.CharField(blank=True, max_length=200, verbose_name='办公时间')),
        migrations.AddField(model_name='agency', name='contact_person', field=models.CharField(blank=True, help_text='答复书等文书中的联系人。', max_length=40, verbose_name='联系人')),
        migrations.AddField(model_name='agency', name='phone', field=models.CharField(blank=True, max_length=60, verbose_name='联系电话')),
        migrations.AddField(model_name='agency', name='fax', field=models.CharField(blank=True, max_length=60, verbose_name='传真')),
        migrations.AddField(model_name='agency', name='email', field=models.CharField(blank=True, max_length=120, verbose_name='电子邮箱')),
    ]
